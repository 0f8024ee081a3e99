// The console's web page on real services: intake, assignment, handover,
// notification and caseflow-console of the build on free loopback ports
// with a manual clock. Three residents registered by phone; 15 days later
// their callbacks are due. In headless chromium, behind the "proxy" (the
// user header from 127.0.0.1, a trusted address): a caller takes a
// callback, records "reached" and takes the next (notification's claims,
// intake's outcome, both on her behalf); a team lead shows a resident's
// details and `caseflowctl access-log` has the read under his name; axe
// finds no violation on any page; screenshots go to WORK/screenshots.
//
//   node live.mjs SRC_DIR BUILD_DIR WORK_DIR
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import puppeteer from 'puppeteer-core';
import { loadApiContract } from './api-contract.mjs';
import { axeViolations, checker, startServices } from './kit.mjs';

const [srcDir, buildDir, work] = process.argv.slice(2);
const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const services = ['intake', 'assignment', 'handover', 'notification', 'console'];
if (!chromium) {
    console.log('SKIP: chromium is missing');
    process.exit(77);
}
rmSync(work, { recursive: true, force: true });
const shots = join(work, 'screenshots');
mkdirSync(shots, { recursive: true });
const { check, done } = checker();

// The gateway is not started: its stream is `none` for the others.
const fleet = await startServices(buildDir, work, services.map((name) => ({
    name,
    args: name === 'console' ? ['--web-trusted-proxies', '127.0.0.1', '--web-users', 'anna:caller,bert:team-lead'] : [],
})), { env: { CASEFLOW_CLOCK: 'manual', CASEFLOW_CLOCK_START: '2022-01-03T08:00' } });
if (!fleet) process.exit(77);
const ctl = fleet.ctl;
const base = fleet.url('console');
const browser = await puppeteer.launch({
    executablePath: chromium, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
});
async function open(user) {
    const page = await browser.newPage();
    await page.setViewport({ width: 1200, height: 900 });
    await page.setExtraHTTPHeaders({ 'X-Forwarded-User': user });
    page.problems = [];
    page.on('console', (m) => m.type() === 'error' && page.problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
    return page;
}
async function checkPage(page, name) {
    check(page.problems.length === 0, `${name}: ${page.problems.join('; ')}`);
    page.problems.length = 0;
    const violations = await axeViolations(page);
    check(violations.length === 0, `${name}: axe: ${violations.join(' ')}`);
    await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}
async function submit(page, selector) {
    await page.bringToFront();
    await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

try {
    ctl('assignment', 'location', 'add', '--id', 'team:north', '--name', 'Noord');
    for (const [name, phone] of [['Jan de Vries', '0612345670'], ['Pieter <Bakker>', '0612345671'],
                                 ['Sanne & Co', '0612345672']])
        ctl('intake', 'register', '--name', name, '--channel', 'phone', '--domain', 'debt',
            '--phone', phone, '--location', 'team:north', '--urgency', 'regular', '--reason',
            'vraag over schulden');
    ctl('clock', 'advance', '15d', '--only', services.join(','));
    let due = [];
    for (let i = 0; i < 100 && due.length < 3; i++) {
        due = (await (await fetch(`${base}/api/callbacks`, { headers: { 'X-Forwarded-User': 'bert' } })).json()).callbacks ?? [];
        if (due.length < 3) await sleep(100);
    }
    check(due.length === 3, `three callbacks due on the console: ${due.length}`);
    // The answers with rows, and those to nobody and to a stranger, as
    // docs/console-api.yaml documents them.
    const contract = await loadApiContract(srcDir);
    for (const problem of contract.problems) check(false, problem);
    const caseId = due[0]?.case_id;
    for (const [path, user, status] of [
        ['/api/callbacks', 'bert', 200], ['/api/waiting', 'anna', 200], [`/api/cases/${caseId}`, 'bert', 200],
        ['/api/report', 'bert', 200], ['/api/handovers', 'anna', 200], ['/api/waiting', null, 401],
        ['/api/callbacks', 'mallory', 403], ['/api/report', 'bert carla', 400],
    ]) {
        const r = await fetch(base + path, { headers: user ? { 'X-Forwarded-User': user } : {} });
        const { errors } = await contract.verify(path, r);
        check(r.status === status, `${path} as ${user}: ${r.status}, expected ${status}`);
        check(errors.length === 0, errors.join('\n'));
    }

    // The caller: take one, record "reached", take the next.
    const anna = await open('anna');
    await anna.goto(`${base}/today`);
    await checkPage(anna, 'live-today');
    await submit(anna, 'form[action="/today/claim"] button');
    await checkPage(anna, 'live-claimed');
    const first = await anna.$eval('input[name=case]', (i) => i.value).catch(() => null);
    check(/^C\d{6}$/.test(first ?? ''), `a callback claimed: ${first}`);
    await anna.click('input[name=outcome][value=reached]');
    await submit(anna, 'form[action="/today/record"] button');
    await checkPage(anna, 'live-recorded');
    check((await anna.$eval('.notice', (n) => n.textContent).catch(() => '')) === 'Vastgelegd.',
          'the outcome is recorded');
    await submit(anna, 'form[action="/today/claim"] button');
    const second = await anna.$eval('input[name=case]', (i) => i.value).catch(() => null);
    check(second && second !== first, `the next callback: ${second} after ${first}`);
    const shown = JSON.parse(ctl('--json', 'intake', 'show', first));
    check(shown.callbacks.some((c) => c.outcome === 'reached'), `${first}'s callback is reached at intake`);
    const reminders = JSON.parse(ctl('--json', 'reminders', '--kind', 'callback'));
    const held = reminders.filter((r) => r.claimed_by === 'anna');
    check(held.length === 1 && held[0].case_id === second, `anna holds only ${second}`);
    // The console knows the claim: the API and the Today page name who holds it.
    let claimed = [];
    for (let i = 0; i < 100 && claimed.length !== 1; i++) {
        claimed = (await (await fetch(`${base}/api/callbacks`, { headers: { 'X-Forwarded-User': 'bert' } })).json())
            .callbacks.filter((c) => c.claimed_by === 'anna');
        if (claimed.length !== 1) await sleep(100);
    }
    check(claimed.length === 1 && claimed[0].case_id === second && claimed[0].lease_until && !claimed[0].parked,
          `/api/callbacks: anna holds ${second}: ${JSON.stringify(claimed)}`);
    const lead = await open('bert');
    await lead.goto(`${base}/today`);
    const holders = await lead.$$eval('#due ~ div tbody tr', (rows) =>
        Object.fromEntries(rows.map((r) => [r.cells[0].textContent, r.cells[4].textContent])));
    check(holders[second] === 'anna', `the Today page says anna holds ${second}: ${JSON.stringify(holders)}`);
    await lead.close();

    // The team lead: the case page, its details behind "show", the access log.
    const bert = await open('bert');
    await bert.goto(`${base}/case/${first}`);
    await checkPage(bert, 'live-case');
    // Each event of the timeline says what it means, in Dutch.
    const events = await bert.$$eval('#timeline ~ div tbody tr', (rows) =>
        rows.map((r) => [r.cells[3].textContent, r.cells[4].textContent]));
    check(events.length >= 4 && events.every(([type, summary]) => summary && summary !== type),
          `every timeline row has a summary: ${JSON.stringify(events)}`);
    check(events.some(([type, summary]) => type === 'CaseRegistered' && summary === 'Aanmelding geregistreerd')
          && events.some(([type, summary]) => type === 'ReminderClaimed' && summary === 'Terugbelactie opgepakt'),
          `the timeline's summaries: ${JSON.stringify(events)}`);
    await submit(bert, 'form[action$="/show"] button');
    await checkPage(bert, 'live-case-personal');
    const details = await bert.$eval('#personal ~ dl', (d) => d.textContent).catch(() => '');
    check(/Jan de Vries|Pieter <Bakker>|Sanne & Co/.test(details), 'the resident\'s details are shown');
    check(!bert.url().includes('Vries'), 'no personal data in the URL');
    const log = JSON.parse(ctl('--json', 'access-log', '--case', first));
    check(log.some((r) => r.who && r.query && JSON.stringify(r).includes('bert')),
          `intake's access log has bert's read: ${JSON.stringify(log)}`);
    for (const s of services) {
        const text = readFileSync(fleet.log(s), 'utf8');
        check(!/Vries|Bakker|Sanne/.test(text), `no personal data in ${s}'s log`);
    }
} finally {
    await browser.close();
    const codes = await fleet.stop();
    check(Object.values(codes).every((c) => c === 0), `every service stopped cleanly: ${JSON.stringify(codes)}`);
}
console.log(`screenshots in ${shots}`);
done();
