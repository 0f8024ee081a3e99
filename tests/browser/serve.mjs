// Starts a web page server for the browser tests and gives its base URL:
// console_web_serve over a JSON fixture (the page itself). Stopped with
// stop(); its stderr goes to WORK/serve.log.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServices } from './kit.mjs';

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

// Starts the real caseflow-console of the build on free loopback ports
// (kit.mjs), following no stream (its projections are empty), with
// `users` and `local` (--web-users, --web-local-user); null when it is not
// built. stop() throws unless it exits 0.
export async function startConsole(buildDir, work, users, local) {
    const fleet = await startServices(buildDir, work, [
        { name: 'console', args: ['--web-users', users, '--web-local-user', local] },
    ]);
    if (!fleet) return null;
    return {
        base: fleet.url('console'),
        async stop() {
            const { console: code } = await fleet.stop();
            if (code !== 0) throw new Error(`caseflow-console exited ${code}`);
        },
    };
}
