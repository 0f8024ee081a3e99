// What the browser tests share: starting caseflow's services of the build
// on free loopback ports (tests/support/ports.mjs) and waiting until they
// answer, axe-core's WCAG 2.1 A/AA run on a page, and the check counter
// each script reports with.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './ports.mjs';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// The page's violations of WCAG 2.1 A and AA, each "rule: elements".
export async function axeViolations(page) {
    await page.evaluate(axeSource);
    return page.evaluate(async () => (await window.axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    })).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`));
}

export { freePort };

// The streams a service may follow; the environment names each one's
// endpoints (CASEFLOW_<STREAM>_EVENTS, _API), as deploy/ does.
const STREAMS = ['intake', 'assignment', 'handover', 'notification', 'gateway'];

// The last `lines` lines of a file, or why there are none.
function tail(path, lines = 20) {
    try {
        return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch (e) {
        return `(no log: ${e.message})`;
    }
}

// Starts `specs`, services of the build (BUILD/bin/caseflow-<name>), in
// order, each on three free ports (events, api, http) with its data in
// WORK/<name> and its log in WORK/<name>.log, and waits until each
// answers its probe (`readyz`, or `healthz` for one that cannot become
// ready). A spec: { name, args: [more flags], probe, prepare(dataDir) }
// (prepare: fills the data directory before the start, e.g. with a
// store). Every service is told, through the environment, the endpoints
// of every other one started here; a stream not started here is `none`
// unless `options.env` names it. `options.env` adds to the environment
// (the clock, say); `options.timeoutMs` (default 20 s) bounds each wait.
//
// Returns { ports: {name: {events, api, http}}, env, url(name), log(name),
// ctl(...args) (caseflowctl's stdout; throws on a non-zero exit),
// stop() (SIGTERM to each, then their exit codes by name) }. When a
// service does not answer in time, or exits, it stops them all, prints
// that service's log tail and throws; null (after a SKIP line) when a
// binary is not built.
export async function startServices(buildDir, work, specs, options = {}) {
    const bin = (name) => join(buildDir, 'bin', name);
    const missing = [...specs.map((s) => `caseflow-${s.name}`), 'caseflowctl'].filter((b) => !existsSync(bin(b)));
    if (missing.length) {
        console.log(`SKIP: not built: ${missing.join(' ')}`);
        return null;
    }
    mkdirSync(work, { recursive: true });
    const ports = {};
    for (const s of specs) ports[s.name] = { events: await freePort(), api: await freePort(), http: await freePort() };
    const env = { ...process.env };
    for (const stream of STREAMS) {
        env[`CASEFLOW_${stream.toUpperCase()}_EVENTS`] = ports[stream] ? `tcp://127.0.0.1:${ports[stream].events}` : 'none';
        env[`CASEFLOW_${stream.toUpperCase()}_API`] = ports[stream] ? `tcp://127.0.0.1:${ports[stream].api}` : 'none';
    }
    if (ports.console) {
        env.CASEFLOW_CONSOLE_EVENTS = `tcp://127.0.0.1:${ports.console.events}`;
        env.CASEFLOW_CONSOLE_API = `tcp://127.0.0.1:${ports.console.api}`;
    }
    Object.assign(env, options.env ?? {});
    const children = new Map();
    const logOf = (name) => join(work, `${name}.log`);
    for (const s of specs) {
        const data = join(work, s.name);
        rmSync(data, { recursive: true, force: true });
        mkdirSync(data, { recursive: true, mode: 0o700 });
        if (s.prepare) s.prepare(data);
        const log = openSync(logOf(s.name), 'w');
        const p = ports[s.name];
        const args = ['--data-dir', data, '--events-bind', `tcp://127.0.0.1:${p.events}`,
            '--api-bind', `tcp://127.0.0.1:${p.api}`, '--http-bind', `127.0.0.1:${p.http}`, ...(s.args ?? [])];
        const child = spawn(bin(`caseflow-${s.name}`), args, { env, stdio: ['ignore', log, log] });
        child.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? 128 + (signal === 'SIGKILL' ? 9 : 15))));
        children.set(s.name, child);
    }
    const fleet = {
        ports,
        env,
        url: (name) => `http://127.0.0.1:${ports[name].http}`,
        log: logOf,
        ctl(...args) {
            return execFileSync(bin('caseflowctl'), args, { env, encoding: 'utf8' });
        },
        async stop() {
            const codes = {};
            for (const [name, child] of [...children].reverse()) {
                if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
                codes[name] = await child.exited;
            }
            return codes;
        },
    };
    const deadline = options.timeoutMs ?? 20000;
    for (const s of specs) {
        const child = children.get(s.name);
        const probe = `${fleet.url(s.name)}/${s.probe ?? 'readyz'}`;
        let up = false;
        for (const started = Date.now(); !up && Date.now() - started < deadline;) {
            if (child.exitCode !== null || child.signalCode !== null) break;
            try {
                up = (await fetch(probe)).status === 200;
            } catch { /* not listening yet */ }
            if (!up) await sleep(50);
        }
        if (!up) {
            const how = child.exitCode !== null ? `exited ${child.exitCode}` : `did not answer ${probe} in ${deadline} ms`;
            await fleet.stop();
            console.log(`caseflow-${s.name} ${how}; the end of ${logOf(s.name)}:\n${tail(logOf(s.name))}`);
            throw new Error(`caseflow-${s.name} ${how}`);
        }
    }
    return fleet;
}

// A counter of checks: check(ok, what) counts a pass or prints "FAIL:
// what"; done() prints the tally and exits 1 when anything failed.
export function checker() {
    let passes = 0;
    let failures = 0;
    return {
        check(ok, what) {
            if (ok) passes++;
            else {
                failures++;
                console.log(`FAIL: ${what}`);
            }
            return ok;
        },
        done() {
            console.log(`${passes} passed, ${failures} failed`);
            process.exit(failures ? 1 : 0);
        },
    };
}
