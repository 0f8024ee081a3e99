// The console's web page in Debian's headless chromium (puppeteer-core):
// every page, in Dutch and English, for each role, loads without console
// errors and with no axe-core violation of WCAG 2.1 A/AA; a screenshot of
// each goes to WORK/screenshots. Then the flows: a caller takes a
// callback, records "reached" and takes the next; a team lead shows a
// case's personal details and the access log has it; a read-only person
// gets no action; the report page shows the figures its API answers.
//
//   node pages.mjs SRC_DIR BUILD_DIR WORK_DIR
//
// Exits 77 (skipped) when chromium or the page server is missing.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { axeViolations, checker } from './kit.mjs';
import { startConsole, startFixture } from './serve.mjs';

const [srcDir, buildDir, work] = process.argv.slice(2);
const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
if (!chromium) {
    console.log('SKIP: chromium is not installed (deploy/lib/setup.sh CF_TEST_PACKAGES)');
    process.exit(77);
}
const shots = join(work, 'screenshots');
mkdirSync(shots, { recursive: true });

const { check, done } = checker();

const server = await startFixture(srcDir, buildDir, work);
const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
});

// A page for `user`, collecting every console error, page error and
// failed request.
async function open(user) {
    const page = await browser.newPage();
    await page.setViewport({ width: 1200, height: 900 });
    await page.setExtraHTTPHeaders({ 'X-Forwarded-User': user });
    page.problems = [];
    page.on('console', (m) => m.type() === 'error' && page.problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => page.problems.push(`request failed: ${r.url()}`));
    return page;
}

const axe = axeViolations;

// Visits `path`, checks status, errors and axe, writes the screenshot.
async function visit(page, path, name) {
    // Input goes to the tab in front only.
    await page.bringToFront();
    page.problems.length = 0;
    const response = await page.goto(server.base + path, { waitUntil: 'load' });
    check(response.status() === 200, `${name}: ${path} answered ${response.status()}`);
    await checkPage(page, name);
}

async function checkPage(page, name) {
    check(page.problems.length === 0, `${name}: ${page.problems.join('; ')}`);
    const violations = await axe(page);
    check(violations.length === 0, `${name}: axe: ${violations.join(' | ')}`);
    await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
    const lang = await page.evaluate(() => document.documentElement.lang);
    check(lang === 'nl' || lang === 'en', `${name}: html lang is "${lang}"`);
}

const pages = [
    ['/today', 'today'],
    ['/waiting', 'waiting'],
    ['/waiting?urgency=regular&location=team:north&domain=', 'waiting-filtered'],
    ['/waiting?urgency=regular&limit=2&page=2', 'waiting-page-2'],
    ['/handovers', 'handovers'],
    ['/report?at=2022-01-21', 'report'],
    ['/case', 'case-lookup'],
    ['/case/C000003', 'case'],
    ['/case/C999999', 'not-found'],
];
try {
    // Every page for a team lead in Dutch, then in English.
    const lead = await open('bert');
    for (const [path, name] of pages) {
        if (name === 'not-found') {
            lead.problems.length = 0;
            const r = await lead.goto(server.base + path);
            check(r.status() === 404, `not-found answered ${r.status()}`);
            // Chromium reports the 404 of the document itself as an error.
            lead.problems = lead.problems.filter((p) => !p.includes('status of 404'));
            await checkPage(lead, name);
            continue;
        }
        await visit(lead, path, `nl-${name}`);
    }
    await visit(lead, '/today?lang=en', 'en-today');
    for (const [path, name] of pages.slice(1, -1)) await visit(lead, path, `en-${name}`);
    check((await lead.$eval('html', (h) => h.lang)) === 'en', 'the language cookie keeps English');
    await visit(lead, '/today?lang=nl', 'nl-today-again');

    // The report page shows the figures the API answers for that date.
    await visit(lead, '/report?at=2022-01-21', 'nl-report-figures');
    const api = await (
        await fetch(`${server.base}/api/report?at=2022-01-21`, { headers: { 'X-Forwarded-User': 'bert' } })
    ).json();
    const shown = await lead.$$eval('td[data-key]', (cells) =>
        Object.fromEntries(cells.map((c) => [c.dataset.key, c.textContent])));
    for (const key of ['registrations_total', 'waiting', 'wait_days_median', 'callbacks_on_time_pct',
                       'active_cases', 'workers_active']) {
        const value = api[key];
        const decimals = Number.isInteger(value) && !/median|pct|p90/.test(key) ? 0 : 1;
        const expected = value.toFixed(decimals).replace('.', ',');
        check(shown[key] === expected, `report ${key}: page "${shown[key]}", API ${value}`);
    }
    check((await lead.$$('figure.chart svg[role=img]')).length === 6, 'the report draws six charts');

    // The waiting list in pages: page 2 has the next rows, the links keep
    // the filters, a page or limit out of range is a 400 naming it.
    const all = await (
        await fetch(`${server.base}/api/waiting`, { headers: { 'X-Forwarded-User': 'bert' } })
    ).json();
    const regular = all.waiting.filter((w) => w.urgency === 'regular').map((w) => w.case_id);
    check(regular.length === 4, `the fixture has 4 regular cases waiting: ${regular}`);
    const rowsOf = (p) => p.$$eval('main tbody th a', (as) => as.map((a) => a.textContent));
    const pager = (p) => p.$eval('nav[aria-label="Pagina\'s van de wachtlijst"]', (n) => n.textContent);
    await visit(lead, '/waiting?urgency=regular&limit=2', 'nl-waiting-page-1');
    check(JSON.stringify(await rowsOf(lead)) === JSON.stringify(regular.slice(0, 2)),
          `page 1 shows the first two: ${await rowsOf(lead)}`);
    check((await pager(lead)).includes('Rijen 1–2 van 4'), `page 1 says rows 1-2 of 4: ${await pager(lead)}`);
    check((await lead.$$('a[rel=prev]')).length === 0, 'page 1 has no previous link');
    await Promise.all([lead.waitForNavigation(), lead.click('a[rel=next]')]);
    await checkPage(lead, 'nl-waiting-page-2');
    check(JSON.stringify(await rowsOf(lead)) === JSON.stringify(regular.slice(2, 4)),
          `page 2 shows the next two: ${await rowsOf(lead)}`);
    const here = new URL(lead.url());
    check(here.searchParams.get('urgency') === 'regular' && here.searchParams.get('limit') === '2'
          && here.searchParams.get('page') === '2', `the next link keeps the filters: ${lead.url()}`);
    check((await pager(lead)).includes('Rijen 3–4 van 4'), `page 2 says rows 3-4 of 4: ${await pager(lead)}`);
    check((await lead.$$('a[rel=next]')).length === 0, 'the last page has no next link');
    await Promise.all([lead.waitForNavigation(), lead.click('a[rel=prev]')]);
    check(JSON.stringify(await rowsOf(lead)) === JSON.stringify(regular.slice(0, 2)),
          'the previous link goes back to page 1');
    check(new URL(lead.url()).searchParams.get('urgency') === 'regular', 'the previous link keeps the filters');
    for (const [query, field] of [['urgency=regular&limit=2&page=3', 'page'], ['page=0', 'page'],
                                  ['page=x', 'page'], ['page=-1', 'page'], ['limit=101', 'limit'],
                                  ['limit=0', 'limit'], ['limit=2x', 'limit']]) {
        const r = await fetch(`${server.base}/waiting?${query}`, { headers: { 'X-Forwarded-User': 'bert' } });
        const text = await r.text();
        check(r.status === 400 && text.includes(`${field}: not`), `/waiting?${query}: 400 naming ${field} (${r.status})`);
    }

    // A caller takes a callback, records "reached", takes the next.
    const caller = await open('anna');
    await visit(caller, '/today', 'caller-today');
    await Promise.all([caller.waitForNavigation(), caller.click('form[action="/today/claim"] button')]);
    await checkPage(caller, 'caller-claimed');
    const first = await caller.$eval('input[name=case]', (i) => i.value);
    check(/^C\d{6}$/.test(first), `the claimed callback's case: ${first}`);
    await caller.click('input[name=outcome][value=reached]');
    await Promise.all([caller.waitForNavigation(), caller.click('form[action="/today/record"] button')]);
    await checkPage(caller, 'caller-recorded');
    check((await caller.$eval('.notice', (n) => n.textContent)) === 'Vastgelegd.', 'recorded notice');
    await Promise.all([caller.waitForNavigation(), caller.click('form[action="/today/claim"] button')]);
    const second = await caller.$eval('input[name=case]', (i) => i.value);
    check(second !== first && /^C\d{6}$/.test(second), `the next callback: ${second} after ${first}`);
    const listed = await caller.$$eval('#due ~ div tbody th a', (as) => as.map((a) => a.textContent));
    check(!listed.includes(first), `${first} is off the list once recorded`);

    // A team lead shows a resident's details; the access log has the read.
    await visit(lead, '/case/C000003', 'lead-case');
    // The timeline says what each event means, in the reader's language.
    const timeline = (p) => p.$$eval('#timeline ~ div tbody tr', (rows) =>
        rows.map((r) => [r.cells[3].textContent, r.cells[4].textContent]));
    check(JSON.stringify(await timeline(lead)) === JSON.stringify([
        ['CaseRegistered', 'Aanmelding geregistreerd'], ['CaseTriaged', 'Urgentie beoordeeld'],
        ['ReminderDue', 'Herinnering gaat af']]), `the timeline's summaries in Dutch: ${JSON.stringify(await timeline(lead))}`);
    await visit(lead, '/case/C000003?lang=en', 'en-lead-case');
    check(JSON.stringify((await timeline(lead)).map((r) => r[1])) === JSON.stringify([
        'Case registered', 'Urgency assessed', 'Reminder due']), `the timeline's summaries in English: ${JSON.stringify(await timeline(lead))}`);
    await visit(lead, '/case/C000003?lang=nl', 'lead-case');
    await Promise.all([lead.waitForNavigation(), lead.click('form[action$="/show"] button')]);
    await checkPage(lead, 'lead-case-personal');
    const details = await lead.$eval('#personal ~ dl', (d) => d.textContent);
    check(details.includes('Pieter <Bakker>'), 'the details are shown as text');
    check(!lead.url().includes('Pieter'), 'no personal data in the URL');
    const log = await (await fetch(`${server.base}/test/access-log`)).json();
    check(log.some((r) => r.who === 'bert' && r.case_id === 'C000003'), 'the access log has the read');

    // Read-only: no action on any page.
    const reader = await open('carla');
    await visit(reader, '/today', 'reader-today');
    check((await reader.$$('form[method=post]')).length === 0, 'read-only gets no claim form');
    await visit(reader, '/case/C000003', 'reader-case');
    check((await reader.$$('form[method=post]')).length === 0, 'read-only gets no show button');

    // The real caseflow-console serves the same page: the local user (no
    // proxy on loopback), the pages its projections answer, axe on each.
    const live = await startConsole(buildDir, join(work, 'console'), 'anna:caller', 'anna');
    if (live) {
        try {
            const page = await browser.newPage();
            page.problems = [];
            page.on('console', (m) => m.type() === 'error' && page.problems.push(`console: ${m.text()}`));
            page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
            for (const [path, name] of [['/today', 'console-today'], ['/waiting', 'console-waiting']]) {
                await page.bringToFront();
                page.problems.length = 0;
                const r = await page.goto(live.base + path, { waitUntil: 'load' });
                check(r.status() === 200, `${name}: ${r.status()}`);
                await checkPage(page, name);
            }
            check((await page.$eval('.who strong', (s) => s.textContent)) === 'anna',
                  'the console knows its local user');
            const api = await (await fetch(`${live.base}/api/waiting`)).json();
            check(Array.isArray(api.waiting) && api.total === 0, 'the console answers /api/waiting');
        } finally {
            await live.stop();
        }
    }
} finally {
    await browser.close();
    await server.stop();
}
console.log(`screenshots in ${shots}`);
done();
