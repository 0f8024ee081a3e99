// The Report and Handovers pages of the real console on the demo's data.
// The five services start on copies of the demo fixture's stores
// (tests/fixtures/demo/stores: the Helmond demo as it ended on 7 March
// 2022 09:00) and a fresh caseflow-console follows them from seq 1, as
// tests/integration/test_console_demo.c does. Then, in headless chromium:
// the Report page for 2022-01-21 shows every figure of
// `caseflowctl --json report --at 2022-01-21` (the figures table and the
// registrations by channel and caseload by location tables) and draws its
// six charts; /api/report?at=2022-01-21 is that same document; the
// Handovers page shows the figures of `caseflowctl --json handover
// progress` asked of the handover service itself for the console's
// moment; axe finds no violation, no console error; screenshots of both
// pages go to WORK/screenshots. Prints what each page and API answer
// took (median of five over HTTP) and each page's load in chromium.
//
//   node demo.mjs SRC_DIR BUILD_DIR WORK_DIR
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import puppeteer from 'puppeteer-core';
import { loadApiContract } from './api-contract.mjs';
import { axeViolations, checker, startServices } from './kit.mjs';

const [srcDir, buildDir, work] = process.argv.slice(2);
const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const streams = ['handover', 'intake', 'assignment', 'notification', 'gateway'];
if (!chromium) {
    console.log('SKIP: chromium is missing');
    process.exit(77);
}
rmSync(work, { recursive: true, force: true });
const shots = join(work, 'screenshots');
mkdirSync(shots, { recursive: true });
const { check, done } = checker();

const AT = '2022-01-21';
const END = '2022-03-07T09:00';
// Sealed details need no key here: nothing on these pages reads them.
mkdirSync(work, { recursive: true });
const secret = join(work, 'match-secret');
writeFileSync(secret, 'a matching secret of this test only, 32+', { mode: 0o600 });
// Intake, handover and the gateway hold journals that name keys their
// fresh key stores lack: alive, never ready, still serving their streams
// (docs/privacy.md); so each is waited for by /healthz. The console,
// holding no keys, becomes ready once it has followed them all.
const fleet = await startServices(buildDir, work, [
    ...streams.map((name) => ({
        name,
        probe: 'healthz',
        args: name === 'intake' ? ['--match-secret', secret] : [],
        prepare: (data) => copyFileSync(join(srcDir, 'tests/fixtures/demo/stores', name, 'data.mdb'), join(data, 'data.mdb')),
    })),
    { name: 'console', args: ['--web-users', 'bert:team-lead', '--web-local-user', 'bert'] },
], { env: { CASEFLOW_CLOCK: 'manual', CASEFLOW_CLOCK_START: '2022-01-03T08:00' } });
if (!fleet) process.exit(77);
const ctl = (...args) => fleet.ctl('--timeout=5000', ...args);
const base = fleet.url('console');
// The figures as the page writes them: Dutch decimals, one after the
// separator for medians, percentages and FTE.
const shown = (key, value) => {
    if (value === null || value === undefined) return 'geen gegevens';
    const decimals = /median|p90|pct|fte/.test(key) ? 1 : 0;
    return value.toFixed(decimals).replace('.', ',');
};

const browser = await puppeteer.launch({
    executablePath: chromium, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
});
async function visit(path, name) {
    const page = await browser.newPage();
    await page.setViewport({ width: 1200, height: 900 });
    const problems = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`failed: ${r.url()}`));
    const started = performance.now();
    const response = await page.goto(base + path, { waitUntil: 'load' });
    console.log(`${name}: ${path} answered in ${(performance.now() - started).toFixed(0)} ms`);
    check(response.status() === 200, `${name}: ${path} answered ${response.status()}`);
    check(problems.length === 0, `${name}: ${problems.join('; ')}`);
    const violations = await axeViolations(page);
    check(violations.length === 0, `${name}: axe: ${violations.join(' | ')}`);
    await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
    return page;
}
// The rows of the table captioned `caption` as {row header: cell}.
const table = (page, caption) => page.$$eval('table', (tables, caption) => {
    const t = tables.find((x) => x.caption?.textContent === caption);
    return t ? Object.fromEntries([...t.tBodies[0].rows].map((r) => [r.cells[0].textContent, r.cells[1].textContent])) : null;
}, caption);

try {
    ctl('clock', 'set', END, '--only', 'console');
    // Until the console has caught up with every stream it answers 503.
    let api = null;
    for (let i = 0; i < 400 && !api; i++) {
        const r = await fetch(`${base}/api/report?at=${AT}`);
        if (r.status === 200) api = await r.json();
        else {
            check(r.status === 503 && r.headers.get('retry-after') === '1', `catching up: ${r.status}`);
            await sleep(50);
        }
    }
    check(api !== null, 'the console answers /api/report');
    const cli = JSON.parse(ctl('--json', 'report', '--at', AT));

    // Every route's answers, the figures and the refusals, as
    // docs/console-api.yaml documents them.
    const contract = await loadApiContract(srcDir);
    for (const problem of contract.problems) check(false, problem);
    for (const [path, status, method] of [
        [`/api/report?at=${AT}`, 200], ['/api/report', 200], ['/api/report?at=2022-02-30', 400],
        [`/api/series?at=${AT}`, 200], ['/api/series?at=x', 400], ['/api/series?at=2099-01-01', 503],
        ['/api/report?at=2099-01-01', 503], ['/api/waiting?limit=3', 200],
        ['/api/waiting?urgency=regular&location=L-noord&domain=debt&page=2&limit=5', 200],
        ['/api/waiting?page=0', 400], ['/api/waiting?limit=101', 400], ['/api/callbacks', 200],
        ['/api/handovers', 200], ['/api/cases/C000001', 200], ['/api/cases/C000700', 200],
        ['/api/cases/C999999', 404], ['/api/cases/%3Cx%3E', 400], ['/api/waiting', 405, 'POST'],
    ]) {
        const r = await fetch(base + path, { method: method ?? 'GET' });
        const { errors } = await contract.verify(path, r);
        check(r.status === status, `${method ?? 'GET'} ${path}: ${r.status}, expected ${status}`);
        check(errors.length === 0, errors.join('\n'));
    }
    check(contract.unseen().length === 0, `no answer of ${contract.unseen()} was checked against the document`);
    check(JSON.stringify(api) === JSON.stringify(cli),
          `/api/report?at=${AT} is caseflowctl's report:\n${JSON.stringify(api)}\nnot\n${JSON.stringify(cli)}`);

    // What a page costs: the answer over HTTP alone, median of five.
    for (const path of [`/api/report?at=${AT}`, `/report?at=${AT}`, '/api/handovers', '/handovers']) {
        const times = [];
        for (let i = 0; i < 5; i++) {
            const started = performance.now();
            const r = await fetch(base + path);
            await r.arrayBuffer();
            times.push(performance.now() - started);
            check(r.status === 200, `${path}: ${r.status}`);
        }
        console.log(`${path}: ${times.sort((a, b) => a - b)[2].toFixed(0)} ms median of 5`);
    }

    const report = await visit(`/report?at=${AT}`, 'demo-report');
    const cells = await report.$$eval('td[data-key]', (tds) => Object.fromEntries(tds.map((c) => [c.dataset.key, c.textContent])));
    check(Object.keys(cells).length >= 15, `the report shows its figures: ${Object.keys(cells).join(' ')}`);
    for (const [key, text] of Object.entries(cells))
        check(text === shown(key, cli[key]), `report ${key}: page "${text}", caseflowctl ${cli[key]}`);
    const channels = await table(report, 'Aanmeldingen per kanaal');
    // The channels are named in Dutch on the page: their numbers, in order.
    check(channels && JSON.stringify(Object.values(channels))
              === JSON.stringify(Object.entries(cli.registrations_by_channel).map(([k, v]) => shown(k, v))),
          `registrations by channel: page ${JSON.stringify(channels)}, caseflowctl ${JSON.stringify(cli.registrations_by_channel)}`);
    const caseload = await table(report, 'Caseload per locatie');
    for (const [location, count] of Object.entries(cli.caseload_by_location))
        check(caseload?.[location] === shown(location, count), `caseload ${location}: page ${caseload?.[location]}, caseflowctl ${count}`);
    // Caseload per worker and the decision backlog by law, as the report has them.
    const byWorker = await table(report, 'Caseload per medewerker');
    check(byWorker && Object.keys(byWorker).length === Object.keys(cli.caseload_by_worker).length
          && Object.entries(cli.caseload_by_worker).every(([w, n]) => byWorker[w] === shown(w, n)),
          `caseload by worker: page ${JSON.stringify(byWorker)}, caseflowctl ${JSON.stringify(cli.caseload_by_worker)}`);
    const byLaw = await table(report, 'Besluiten in behandeling per wet');
    check(byLaw && JSON.stringify(Object.values(byLaw))
              === JSON.stringify(Object.entries(cli.decisions_pending_by_law).map(([k, v]) => shown(k, v))),
          `decisions pending by law: page ${JSON.stringify(byLaw)}, caseflowctl ${JSON.stringify(cli.decisions_pending_by_law)}`);
    check(['decisions_pending', 'decisions_pending_days_median', 'call_answer_seconds_median', 'calls_offered']
        .every((k) => k in cells), `the decision backlog and phone reachability are shown: ${Object.keys(cells)}`);
    check((await report.$$('figure.chart svg[role=img]')).length === 6, 'the report draws six charts');
    // The charts' last week is the report's own moment.
    const weekly = await report.$$eval('#chart-waiting table tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
    check(weekly.length === 12 && weekly[11][1] === shown('waiting', cli.waiting),
          `the waiting chart's last week is the report's: ${JSON.stringify(weekly.at(-1))}`);
    // The charts draw /api/series: each week's waiting, the last the report's.
    const series = await (await fetch(`${base}/api/series?at=${AT}`)).json();
    check(series.weeks.length === 12 && series.weeks.at(-1).waiting === cli.waiting
          && series.at === cli.at && series.forecast_completion_date === cli.handovers.forecast_completion_date,
          `the series ends at the report: ${JSON.stringify(series).slice(0, 300)}`);
    check(JSON.stringify(weekly.map((row) => row[1])) === JSON.stringify(series.weeks.map((w) => shown('waiting', w.waiting))),
          `the waiting chart draws the series: ${JSON.stringify(weekly.map((row) => row[1]))}`);
    const sum = series.weeks.reduce((n, w) => n + w.registrations, 0);
    const before = JSON.parse(ctl('--json', 'report', '--at', '2021-10-29'));
    check(sum === cli.registrations_total - before.registrations_total,
          `the weeks' registrations add up: ${sum} of ${cli.registrations_total - before.registrations_total}`);

    const progress = JSON.parse(ctl('--json', 'handover', 'progress', '--at', END));
    const served = await (await fetch(`${base}/api/handovers`)).json();
    check(JSON.stringify(served) === JSON.stringify(progress),
          `/api/handovers is handover's own progress at ${END}:\n${JSON.stringify(served)}\nnot\n${JSON.stringify(progress)}`);
    const handovers = await visit('/handovers', 'demo-handovers');
    const rows = await handovers.$$eval('tbody tr', (trs) => trs.map((r) => [...r.cells].map((c) => c.textContent)));
    check(rows.length === 1 + Object.keys(progress.by_provider).length, `a row per provider and one in all: ${rows.length}`);
    for (const [id, figures] of [['Alle aanbieders', progress], ...Object.entries(progress.by_provider)]) {
        const row = rows.find((r) => r[0] === id);
        const want = [id, ...['total', 'completed', 'decided', 'in_progress', 'cancelled', 'overdue'].map((k) => String(figures[k])),
            figures.forecast_completion_date ?? 'nog geen voorspelling', figures.on_track ? 'ja' : 'nee'];
        check(row && JSON.stringify(row) === JSON.stringify(want),
              `handovers ${id}: page ${JSON.stringify(row)}, handover ${JSON.stringify(want)}`);
    }
} finally {
    await browser.close();
    await fleet.stop();
}
console.log(`screenshots in ${shots}`);
done();
