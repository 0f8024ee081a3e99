// The console's JSON API and form posts: the contract (docs/console.md:
// paths, keys, status codes, problem+json naming the field, guard
// headers) and hostile input (no user, a forged user, bad dates and ids,
// forged or missing form tokens, cross-site posts, wrong content types,
// oversized and malformed bodies, control characters, odd methods), each
// answered with a clear status while the server keeps serving.
//
//   node api.mjs SRC_DIR BUILD_DIR WORK_DIR
import net from 'node:net';
import { checker } from './kit.mjs';
import { startFixture } from './serve.mjs';

const [srcDir, buildDir, work] = process.argv.slice(2);
const { check, done } = checker();

const server = await startFixture(srcDir, buildDir, work);
const as = (user, extra = {}) => ({ 'X-Forwarded-User': user, ...extra });
async function get(path, headers = as('bert')) {
    return fetch(server.base + path, { headers, redirect: 'manual' });
}
async function problem(response, status, field, what) {
    check(response.status === status, `${what}: status ${response.status}, expected ${status}`);
    check(response.headers.get('content-type') === 'application/problem+json',
          `${what}: content type ${response.headers.get('content-type')}`);
    const body = await response.json();
    check(body.status === status, `${what}: problem status ${body.status}`);
    if (field) check(body.field === field, `${what}: field ${body.field}, expected ${field}`);
}
// A form's token, as the page gives it to `user`.
async function token(user) {
    const html = await (await get('/today', as(user))).text();
    return /name="token" value="([^"]+)"/.exec(html)?.[1];
}
async function post(path, body, headers) {
    return fetch(server.base + path, {
        method: 'POST', body, redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    });
}

try {
    // ---- the contract
    let r = await get('/api/report?at=2022-01-21');
    check(r.status === 200 && r.headers.get('content-type') === 'application/json', 'report 200 JSON');
    check(r.headers.get('cache-control') === 'no-store', 'report not cached');
    check(r.headers.get('x-content-type-options') === 'nosniff', 'nosniff');
    const report = await r.json();
    for (const key of ['at', 'registrations_total', 'registrations_by_channel', 'waiting',
                       'wait_days_median', 'wait_days_p90', 'urgent_total',
                       'urgent_pickup_hours_median', 'callbacks_due', 'callbacks_on_time_pct',
                       'active_cases', 'closed_cases', 'workers_active', 'workers_absent',
                       'fte_active', 'caseload_by_location', 'handovers'])
        check(key in report, `report has ${key}`);
    check(report.at.startsWith('2022-01-21'), `report at ${report.at}`);
    r = await get('/api/report');
    check(r.status === 200, `report without at (now): ${r.status}`);
    r = await get('/api/waiting');
    const waiting = await r.json();
    check(Array.isArray(waiting.waiting) && waiting.waiting.every(
        (w) => ['case_id', 'position', 'urgency', 'registered_at', 'waiting_days'].every((k) => k in w)),
          'waiting: {waiting: [{case_id, position, urgency, registered_at, waiting_days}]}');
    // The list in pages: page 2 of 2 rows is the 3rd and 4th, the filters
    // apply before paging, a page or limit out of range is a problem naming it.
    check(waiting.total === 5 && waiting.matched === 5 && waiting.page === 1 && waiting.limit === 100
          && waiting.waiting.length === 5, `waiting: one page of all 5 (${JSON.stringify(waiting).slice(0, 80)})`);
    const second = await (await get('/api/waiting?limit=2&page=2')).json();
    check(JSON.stringify(second.waiting.map((w) => w.position)) === '[3,4]' && second.matched === 5,
          `waiting page 2 of 2 rows: positions ${second.waiting.map((w) => w.position)}`);
    const regular = await (await get('/api/waiting?urgency=regular&location=team:north&limit=1&page=2')).json();
    check(regular.matched === 2 && regular.waiting.length === 1 && regular.waiting[0].position === 4
          && regular.total === 5, `filtered page: ${JSON.stringify(regular.waiting)} of ${regular.matched}`);
    await problem(await get('/api/waiting?limit=2&page=4'), 400, 'page', 'a page past the last');
    await problem(await get('/api/waiting?page=0'), 400, 'page', 'page 0');
    await problem(await get('/api/waiting?page=1e3'), 400, 'page', 'a page that is not a number');
    await problem(await get('/api/waiting?limit=101'), 400, 'limit', 'a limit over 100');
    check((await (await get('/api/waiting?limit=&page=')).json()).limit === 100, 'empty page and limit: the defaults');
    const callbacks = await (await get('/api/callbacks')).json();
    check(Array.isArray(callbacks.callbacks) && Array.isArray(callbacks.alerts), 'callbacks and alerts');
    const progress = await (await get('/api/handovers')).json();
    check(['deadline', 'total', 'completed', 'forecast_completion_date', 'by_provider']
        .every((k) => k in progress), 'handover progress keys');
    const timeline = await (await get('/api/cases/C000003')).json();
    check(timeline.case_id === 'C000003' && Array.isArray(timeline.timeline), 'a case and its timeline');
    check(timeline.timeline.every((t) => ['stream', 'seq', 'type', 'occurred_at', 'summary']
        .every((k) => k in t)), 'timeline entries');
    check(!JSON.stringify(timeline).includes('Pieter'), 'no personal data in a timeline');

    // ---- refusals naming the field
    await problem(await get('/api/report?at=yesterday'), 400, 'at', 'a date that is none');
    await problem(await get('/api/report?at=2022-02-30'), 400, 'at', 'an impossible date');
    await problem(await get(`/api/report?at=${'9'.repeat(5000)}`), 400, 'at', 'a huge date');
    await problem(await get('/api/report?at=2099-01-01'), 503, null, 'a moment not reached');
    check((await get('/api/report?at=2099-01-01')).headers.get('retry-after') === '1', 'Retry-After');
    await problem(await get('/api/report?at=2000-01-01'), 503, null, 'before every report');
    await problem(await get('/api/cases/C999999'), 404, null, 'an unknown case');
    await problem(await get('/api/cases/C0%2F1'), 400, 'case_id', 'an id with a slash');
    await problem(await get('/api/cases/%3Cscript%3E'), 400, 'case_id', 'markup as an id');
    await problem(await get('/api/nothing'), 404, null, 'an unknown API path');
    r = await fetch(server.base + '/api/waiting', { method: 'POST', headers: as('bert') });
    await problem(r, 405, null, 'POST to the API');
    check(r.headers.get('allow') === 'GET, HEAD', 'Allow on 405');

    // ---- who is asking
    await problem(await get('/api/waiting', {}), 401, null, 'nobody signed in');
    await problem(await get('/api/waiting', as('mallory')), 403, null, 'a person without a role');
    await problem(await get('/api/waiting', as('bert carla')), 400, 'X-Forwarded-User', 'a malformed user');
    await problem(await get('/api/waiting', as('x'.repeat(65))), 400, 'X-Forwarded-User', 'a long user');
    r = await get('/today', {});
    check(r.status === 401 && (await r.text()).includes('Niet aangemeld'), 'a page for nobody: 401');

    // ---- forms
    const anna = await token('anna');
    check(/^[0-9a-f]+\.[A-Za-z0-9_-]{43}$/.test(anna), `a form token: ${anna}`);
    const claim = (headers, body = `token=${anna}`) => post('/today/claim', body, { ...as('anna'), ...headers });
    check((await claim({}, '')).status === 403, 'no token: 403');
    check((await claim({}, 'token=0.AAAA')).status === 403, 'a forged token: 403');
    check((await post('/today/claim', `token=${anna}`, as('bert'))).status === 403, "another's token: 403");
    check((await claim({ 'Sec-Fetch-Site': 'cross-site' })).status === 403, 'cross-site: 403');
    check((await claim({ 'Sec-Fetch-Site': 'same-site' })).status === 403, 'same-site: 403');
    check((await claim({ 'Content-Type': 'text/plain' })).status === 415, 'text/plain: 415');
    check((await claim({ 'Content-Type': 'multipart/form-data; boundary=x' })).status === 415, 'multipart: 415');
    check((await claim({}, `token=${anna}&x=%zz`)).status === 400, 'a bad escape: 400');
    check((await claim({}, `token=${anna}&x=%C3%28`)).status === 400, 'invalid UTF-8: 400');
    check((await claim({}, `token=${anna}&x=%00`)).status === 400, 'a NUL: 400');
    check((await claim({}, `token=${anna}&location=..%2F..`)).status === 400, 'a bad location: 400');
    check((await claim({}, 'a=1&'.repeat(20) + `token=${anna}`)).status === 400, 'too many fields: 400');
    check((await claim({}, `token=${anna}&x=${'y'.repeat(20000)}`)).status === 413, 'a large body: 413');
    r = await post('/today/record', `token=${anna}&reminder=callback%2FC000002%2F1&case=C000002&outcome=maybe`, as('anna'));
    check(r.status === 400, `an unknown outcome: ${r.status}`);
    r = await post('/today/record', `token=${anna}&reminder=callback%2FC000002%2F1&case=C000002&outcome=reached`, as('anna'));
    check(r.status === 409 && (await r.text()).includes('not held by you'), `recording one not held: ${r.status}`);
    r = await post('/today/park', `token=${anna}&reminder=callback%2FC000002%2F1&reason=`, as('anna'));
    check(r.status === 400 && (await r.text()).includes('reason: is required'), `a park without reason: ${r.status}`);
    const carla = await token('carla');
    check((await post('/today/claim', `token=${carla}`, as('carla'))).status === 403, 'read-only may not claim');
    check((await post('/case/C000003/show', `token=${carla}`, as('carla'))).status === 403, 'read-only may not show');
    check((await post('/case/..%2F/show', `token=${anna}`, as('anna'))).status === 404, 'show of no case id');
    check((await post('/waiting', `token=${anna}`, as('anna'))).status === 405, 'POST to a page: 405');
    r = await fetch(server.base + '/today', { method: 'DELETE', headers: as('anna') });
    check(r.status === 405, `DELETE: ${r.status}`);

    // ---- escaping and headers of pages
    const bert = await token('bert');
    r = await post('/case/C000003/show', `token=${bert}`, as('bert'));
    const shown = await r.text();
    check(r.status === 200 && shown.includes('Pieter &lt;Bakker&gt;') && !shown.includes('<Bakker>'),
          'personal details escaped');
    check(r.headers.get('cache-control') === 'no-store', 'details not cached');
    const csp = r.headers.get('content-security-policy') ?? '';
    check(csp.includes("default-src 'none'") && csp.includes("frame-ancestors 'none'"), `CSP: ${csp}`);
    r = await get('/waiting?location=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E');
    check(!(await r.text()).includes('<script>'), 'a filter value is escaped');
    r = await get('/case?id=C000003');
    check(r.status === 303 && r.headers.get('location') === '/case/C000003', 'case lookup redirects');
    r = await get('/case?id=%3Cb%3E');
    check(r.status === 400, 'a bad case lookup: 400');
    r = await get('/today?lang=en');
    check(/caseflow_lang=en;.*SameSite=Lax/.test(r.headers.get('set-cookie') ?? ''), 'lang cookie');
    check(r.headers.get('content-language') === 'en', 'Content-Language en');
    r = await get('/today', as('bert', { Cookie: 'caseflow_lang=en' }));
    check((await r.text()).includes('<html lang="en">'), 'the cookie chooses English');
    r = await get('/today', as('bert', { Cookie: 'caseflow_lang=<x>' }));
    check((await r.text()).includes('<html lang="nl">'), 'a bad cookie: Dutch');

    // ---- raw hostile requests: the server answers and goes on
    const raw = (text) => new Promise((resolve) => {
        const socket = net.connect(new URL(server.base).port, '127.0.0.1');
        let answer = '';
        socket.on('data', (d) => { answer += d; });
        socket.on('close', () => resolve(answer));
        socket.on('error', () => resolve(answer));
        socket.setTimeout(3000, () => socket.destroy());
        socket.end(text);
    });
    const lines = [
        `GET /${'a'.repeat(70000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
        `GET /today HTTP/1.1\r\nHost: x\r\n${'X-A: b\r\n'.repeat(3000)}\r\n`,
        'GET /today HTTP/1.1\r\nHost: x\r\nX-Forwarded-User: an\u0000na\r\n\r\n',
        'POST /today/claim HTTP/1.1\r\nHost: x\r\nX-Forwarded-User: anna\r\nContent-Length: 99999999\r\n\r\n',
        'POST /today/claim HTTP/1.1\r\nHost: x\r\nX-Forwarded-User: anna\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
        'GARBAGE\r\n\r\n',
    ];
    for (const line of lines) {
        const answer = await raw(line);
        check(answer === '' || /^HTTP\/1\.[01] [1-5]\d\d/.test(answer), `a raw answer: ${answer.slice(0, 40)}`);
    }
    check((await get('/api/waiting')).status === 200, 'still serving after the hostile requests');
} finally {
    await server.stop();
}
done();
