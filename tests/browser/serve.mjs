// Starts a web page server for the browser tests and gives its base URL:
// console_web_serve over a JSON fixture (the page itself). Stopped with
// stop(); its stderr goes to WORK/serve.log.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './ports.mjs';

export async function startFixture(srcDir, buildDir, work) {
    const binary = join(buildDir, 'bin', 'console_web_serve');
    if (!existsSync(binary)) {
        console.log(`SKIP: ${binary} is not built`);
        process.exit(77);
    }
    mkdirSync(work, { recursive: true });
    const portFile = join(work, 'port');
    rmSync(portFile, { force: true });
    const log = openSync(join(work, 'serve.log'), 'w');
    const child = spawn(binary, [join(srcDir, 'tests', 'browser', 'fixture.json'), portFile], {
        stdio: ['ignore', log, log],
    });
    for (let i = 0; i < 100 && !existsSync(portFile); i++) await sleep(50);
    await sleep(50);
    const port = Number(readFileSync(portFile, 'utf8').trim());
    if (!port) throw new Error('console_web_serve did not start; see serve.log');
    return {
        base: `http://127.0.0.1:${port}`,
        async stop() {
            child.kill('SIGTERM');
            await new Promise((resolve) => child.once('exit', resolve));
            if (child.exitCode !== 0) throw new Error(`console_web_serve exited ${child.exitCode}`);
        },
    };
}

// Starts the real caseflow-console of the build on free loopback ports,
// following no stream (its projections are empty), with `users` and
// `local` (--web-users, --web-local-user). Stopped with stop().
export async function startConsole(buildDir, work, users, local) {
    const binary = join(buildDir, 'bin', 'caseflow-console');
    if (!existsSync(binary)) return null;
    mkdirSync(work, { recursive: true });
    rmSync(join(work, 'data'), { recursive: true, force: true });
    const [http, events, api] = [await freePort(), await freePort(), await freePort()];
    const log = openSync(join(work, 'console.log'), 'w');
    const args = ['--data-dir', join(work, 'data'), '--http-bind', `127.0.0.1:${http}`,
        '--events-bind', `tcp://127.0.0.1:${events}`, '--api-bind', `tcp://127.0.0.1:${api}`,
        '--web-users', users, '--web-local-user', local];
    for (const stream of ['intake', 'assignment', 'handover', 'notification', 'gateway'])
        args.push(`--${stream}-events`, 'none');
    const child = spawn(binary, args, { stdio: ['ignore', log, log] });
    const base = `http://127.0.0.1:${http}`;
    for (let i = 0; i < 100; i++) {
        try {
            if ((await fetch(`${base}/readyz`)).status === 200) break;
        } catch { /* not listening yet */ }
        await sleep(50);
    }
    return {
        base,
        async stop() {
            child.kill('SIGTERM');
            await new Promise((resolve) => child.once('exit', resolve));
            if (child.exitCode !== 0) throw new Error(`caseflow-console exited ${child.exitCode}`);
        },
    };
}
