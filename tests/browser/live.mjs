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
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import puppeteer from 'puppeteer-core';
import { axeViolations, freePort as free } from './kit.mjs';

const [, buildDir, work] = process.argv.slice(2);
const bin = (name) => join(buildDir, 'bin', name);
const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const services = ['intake', 'assignment', 'handover', 'notification', 'console'];
if (!chromium || ![...services.map((s) => `caseflow-${s}`), 'caseflowctl'].every((b) => existsSync(bin(b)))) {
    console.log('SKIP: chromium or a service binary is missing');
    process.exit(77);
}
rmSync(work, { recursive: true, force: true });
const shots = join(work, 'screenshots');
mkdirSync(shots, { recursive: true });

let failures = 0;
let passes = 0;
function check(ok, what) {
    if (ok) passes++;
    else {
        failures++;
        console.log(`FAIL: ${what}`);
    }
}

const ports = {};
for (const s of services) ports[s] = { events: await free(), api: await free(), http: await free() };
const env = { ...process.env, CASEFLOW_CLOCK: 'manual', CASEFLOW_CLOCK_START: '2022-01-03T08:00' };
for (const s of ['gateway']) {
    env[`CASEFLOW_${s.toUpperCase()}_EVENTS`] = 'none';
    env[`CASEFLOW_${s.toUpperCase()}_API`] = 'none';
}
for (const s of services) {
    env[`CASEFLOW_${s.toUpperCase()}_EVENTS`] = `tcp://127.0.0.1:${ports[s].events}`;
    env[`CASEFLOW_${s.toUpperCase()}_API`] = `tcp://127.0.0.1:${ports[s].api}`;
}
const children = [];
for (const s of services) {
    const log = openSync(join(work, `${s}.log`), 'w');
    const args = ['--data-dir', join(work, s), '--events-bind', `tcp://127.0.0.1:${ports[s].events}`,
        '--api-bind', `tcp://127.0.0.1:${ports[s].api}`, '--http-bind', `127.0.0.1:${ports[s].http}`];
    if (s === 'console')
        args.push('--web-trusted-proxies', '127.0.0.1', '--web-users', 'anna:caller,bert:team-lead');
    children.push(spawn(bin(`caseflow-${s}`), args, { env, stdio: ['ignore', log, log] }));
}
const ctl = (...args) => execFileSync(bin('caseflowctl'), args, { env, encoding: 'utf8' });
const base = `http://127.0.0.1:${ports.console.http}`;
async function ready(s) {
    for (let i = 0; i < 200; i++) {
        try {
            if ((await fetch(`http://127.0.0.1:${ports[s].http}/readyz`)).status === 200) return true;
        } catch { /* not yet */ }
        await sleep(50);
    }
    return false;
}
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
    for (const s of services) {
        const up = await ready(s);
        check(up, `${s} ready; its log ends:\n${up ? '' : readFileSync(join(work, `${s}.log`), 'utf8').split('\n').slice(-5).join('\n')}`);
    }
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

    // The team lead: the case page, its details behind "show", the access log.
    const bert = await open('bert');
    await bert.goto(`${base}/case/${first}`);
    await checkPage(bert, 'live-case');
    await submit(bert, 'form[action$="/show"] button');
    await checkPage(bert, 'live-case-personal');
    const details = await bert.$eval('#personal ~ dl', (d) => d.textContent).catch(() => '');
    check(/Jan de Vries|Pieter <Bakker>|Sanne & Co/.test(details), 'the resident\'s details are shown');
    check(!bert.url().includes('Vries'), 'no personal data in the URL');
    const log = JSON.parse(ctl('--json', 'access-log', '--case', first));
    check(log.some((r) => r.who && r.query && JSON.stringify(r).includes('bert')),
          `intake's access log has bert's read: ${JSON.stringify(log)}`);
    for (const s of services) {
        const text = readFileSync(join(work, `${s}.log`), 'utf8');
        check(!/Vries|Bakker|Sanne/.test(text), `no personal data in ${s}'s log`);
    }
} finally {
    await browser.close();
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((resolve) => c.exitCode !== null ? resolve() : c.once('exit', resolve))));
}
console.log(`screenshots in ${shots}`);
console.log(`${passes} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
