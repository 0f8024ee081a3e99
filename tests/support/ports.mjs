// Ports for the services a node test starts, drawn the way
// tests/support/cf_testproc.c draws them for the C tests: below Linux's
// ephemeral range (so no connection made meanwhile takes one by its source
// port), free on 127.0.0.1, and reserved by a file named after the port in
// /tmp/caseflow-test-ports holding this process's pid. Asking the kernel
// for port 0 and closing it is not enough: the kernel may hand the same
// port out again at once, to this script or to a test ctest runs beside it.
// tests/js/install.sh copies this file beside the scripts that import it.
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { randomInt } from 'node:crypto';
import net from 'node:net';

const RESERVED = '/tmp/caseflow-test-ports';

function running(pid) {
    try {
        process.kill(pid, 0);
        return true;
    } catch (e) {
        return e.code !== 'ESRCH';
    }
}

// Whether this process may use `port`: its file is made here, or taken
// over from a process that is gone.
function reserve(port) {
    try {
        mkdirSync(RESERVED, { mode: 0o1777 });
    } catch (e) {
        if (e.code !== 'EEXIST') return true;  // no shared directory: the bind check alone
    }
    const path = `${RESERVED}/${port}`;
    for (let attempt = 0; attempt < 2; attempt++) {
        try {
            const fd = openSync(path, 'wx', 0o644);
            writeSync(fd, `${process.pid}\n`);
            closeSync(fd);
            return true;
        } catch (e) {
            if (e.code !== 'EEXIST') return true;
        }
        let holder = 0;
        try {
            holder = Number.parseInt(readFileSync(path, 'utf8'), 10) || 0;
        } catch { /* being written or just removed: leave it */ }
        if (holder <= 0 || running(holder)) return false;
        try {
            unlinkSync(path);
        } catch { /* another process took it over first */ }
    }
    return false;
}

const bindable = (port) => new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
});

// A port in 20000-31999 that nothing listens on and no other test holds.
export async function freePort() {
    for (let attempt = 0; attempt < 1000; attempt++) {
        const port = 20000 + randomInt(12000);
        if (await bindable(port) && reserve(port)) return port;
    }
    throw new Error('no free port in 20000-31999');
}
