// conformance.mjs: the answers of docs/cloudevents.md, asked of a running
// gateway. For the gateway's live tests: every example event of the page is
// accepted (structured and binary, a repeat again 202, GET tells its state),
// every case of tests/fixtures/cloudevents/inbound-bad.json gets its status
// naming its attribute, and the HTTP rules hold (401, 403, 404, 405, 413,
// 415, broken JSON, batches).
//
//   node conformance.mjs --url http://127.0.0.1:8641 --publishers FILE
//                        --root SOURCE_DIR [--run ID] [--json]
//
//   --publishers FILE  a JSON array of the publishers registered for the test,
//                      [{"source": URN, "token": T, "types": [T, …]}], together
//                      allowed every inbound type, at least two of them (the 403
//                      cases use one's token with another's source)
//   --root DIR         the source tree (docs/cloudevents.md, docs/schemas, the
//                      fixtures)
//   --run ID           appended to every event id (default: a random one), so
//                      the script can run again against the same store
//
// One line per check ("ok …" or "FAIL …"), then "N passed, M failed"; exit 0
// when all passed, 1 otherwise, 2 on a usage error, 77 without the npm
// packages.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { request } from "node:http";
import { loadModules } from "./profile.mjs";

const require = createRequire(import.meta.url);

const modules = loadModules();
if (!modules) {
    console.error("conformance.mjs: the npm packages are not installed (tests/js/install.sh)");
    process.exit(77);
}
const { CloudEvent, HTTP } = modules.cloudevents;
const { values: opt } = parseArgs({
    options: {
        url: { type: "string" },
        publishers: { type: "string" },
        root: { type: "string" },
        run: { type: "string", default: randomBytes(4).toString("hex") },
        json: { type: "boolean", default: false },
    },
});
if (!opt.url || !opt.publishers || !opt.root) {
    console.error("conformance.mjs: --url, --publishers and --root are required");
    process.exit(2);
}
const base = opt.url.replace(/\/$/, "");
const publishers = JSON.parse(readFileSync(opt.publishers, "utf8"));
if (!Array.isArray(publishers) || publishers.length < 2) {
    console.error("conformance.mjs: --publishers needs at least two publishers");
    process.exit(2);
}
// The answers' schemas of docs/openapi.yaml: every problem document and
// every status the gateway sends is checked against them.
const openapiParser = await import(require.resolve("@readme/openapi-parser"));
const api = await openapiParser.dereference(join(opt.root, "docs/openapi.yaml"));
const answers = new modules.Ajv2020({ allErrors: true, strict: false });
modules.addFormats(answers);
const problemSchema = answers.compile(api.components.schemas.Problem);
const statusSchema = answers.compile(api.components.schemas.InboundStatus);

function publisherFor(type) {
    return publishers.find((p) => p.types.includes(type)) ?? publishers[0];
}

let passed = 0;
let failed = 0;
function check(ok, what, detail = "") {
    if (ok)
        passed++;
    else
        failed++;
    console.log(`${ok ? "ok" : "FAIL"} ${what}${ok || !detail ? "" : `: ${detail}`}`);
}

async function post(body, headers, token) {
    const all = { ...headers };
    if (token !== undefined)
        all.authorization = `Bearer ${token}`;
    const response = await fetch(`${base}/events`, { method: "POST", headers: all, body });
    const text = await response.text();
    let problem = null;
    if ((response.headers.get("content-type") ?? "").startsWith("application/problem+json"))
        problem = JSON.parse(text);
    return { status: response.status, problem, headers: response.headers };
}
const structured = { "content-type": "application/cloudevents+json" };

// A POST that announces its body (Expect: 100-continue) and sends it only
// when the server asks for it: a server refusing by Content-Length answers
// at once, and the client hears it instead of a broken pipe.
function postExpecting(body, headers, token) {
    return new Promise((resolve, reject) => {
        const req = request(`${base}/events`, {
            method: "POST",
            headers: { ...headers, authorization: `Bearer ${token}`, expect: "100-continue",
                       "content-length": Buffer.byteLength(body) },
        });
        req.on("continue", () => req.end(body));
        req.on("response", (res) => {
            res.resume();
            res.on("end", () => resolve({ status: res.statusCode }));
            req.destroy();
        });
        req.on("error", (err) => (err.code === "ECONNRESET" ? null : reject(err)));
    });
}
const batchType = { "content-type": "application/cloudevents-batch+json" };

// An event of the page or the fixtures, made this run's own and sent as its
// type's publisher unless the case is about the source.
function own(event, keepSource = false) {
    const e = structuredClone(event);
    const publisher = publisherFor(e.type);
    if (!keepSource)
        e.source = publisher.source;
    if (typeof e.id === "string")
        e.id = `${e.id}-${opt.run}`;
    return { event: e, token: publisher.token };
}

// A problem document as the page describes it.
function problemOk(answer, status, attribute) {
    const p = answer.problem;
    if (answer.status !== status)
        return `status ${answer.status}, want ${status} (${JSON.stringify(p)})`;
    if (!p || p.status !== status || !problemSchema(p))
        return `not the problem document of docs/openapi.yaml: ${JSON.stringify(p)} ${JSON.stringify(problemSchema.errors)}`;
    if (attribute !== undefined && p.attribute !== attribute)
        return `attribute ${JSON.stringify(p.attribute)}, want ${attribute} (${p.detail})`;
    return null;
}

// ---- The page's examples: accepted, repeats accepted, the state readable.
const markdown = readFileSync(join(opt.root, "docs/cloudevents.md"), "utf8");
const examples = [...markdown.matchAll(/^```json\n([\s\S]*?)^```/gm)]
    .map((m) => JSON.parse(m[1]))
    .flatMap((v) => (Array.isArray(v) ? v : [v]))
    .filter((e) => e.specversion && e.sequence === undefined && String(e.source).startsWith("urn:nld:"));
for (const example of examples) {
    const { event, token } = own(example);
    const first = await post(JSON.stringify(event), structured, token);
    check(first.status === 202, `structured ${event.type} is 202`, `got ${first.status} ${JSON.stringify(first.problem)}`);
    const again = await post(JSON.stringify(event), structured, token);
    check(again.status === 202, `a repeat of ${event.id} is 202`, `got ${again.status}`);
    const binary = HTTP.binary(new CloudEvent({ ...event, id: `${event.id}-binary` }));
    const b = await post(binary.body, binary.headers, token);
    check(b.status === 202, `binary ${event.type} is 202`, `got ${b.status} ${JSON.stringify(b.problem)}`);
    const path = `${base}/events/${encodeURIComponent(event.source)}/${encodeURIComponent(event.id)}`;
    const got = await fetch(path, { headers: { authorization: `Bearer ${token}` } });
    const status = got.status === 200 ? await got.json() : null;
    check(status && statusSchema(status) && status.id === event.id && status.source === event.source
          && status.type === event.type && ["accepted", "applied", "rejected"].includes(status.state),
          `GET ${event.id} tells its state`, `${got.status} ${JSON.stringify(status)}`);
    const other = publishers.find((p) => p.source !== event.source);
    const foreign = await fetch(path, { headers: { authorization: `Bearer ${other.token}` } });
    check(foreign.status === 403, `GET of another publisher's event is 403`, `got ${foreign.status}`);
}
{
    const batch = examples.slice(0, 2).map((e) => own(e).event);
    const sameSource = batch.every((e) => e.source === batch[0].source);
    if (sameSource) {
        const b = await post(JSON.stringify(batch.map((e) => ({ ...e, id: `${e.id}-batch` }))), batchType,
                             publisherFor(batch[0].type).token);
        check(b.status === 202, "a batch is 202", `got ${b.status} ${JSON.stringify(b.problem)}`);
    }
}

// ---- The refused events of the fixtures.
const bad = JSON.parse(readFileSync(join(opt.root, "tests/fixtures/cloudevents/inbound-bad.json"), "utf8"));
for (const c of bad.cases) {
    const { event, token } = own(c.event, c.attribute === "source");
    const answer = await post(JSON.stringify(event), structured, token);
    const why = problemOk(answer, c.status, c.attribute);
    check(!why, `refused: ${c.name}`, why);
}

// ---- HTTP rules.
const [p0, p1] = publishers;
const sample = own(examples.find((e) => p0.types.includes(e.type)) ?? examples[0]).event;
const body = JSON.stringify(sample);
const cases = [
    ["no token is 401", () => post(body, structured, undefined), 401],
    ["an unknown token is 401", () => post(body, structured, "x".repeat(40)), 401],
    ["text/plain is 415", () => post(body, { "content-type": "text/plain" }, p0.token), 415],
    ["a body over 1 MiB is 413",
     () => postExpecting(JSON.stringify({ ...sample, data: { ...sample.data, pad: "x".repeat(1 << 20) } }),
                         structured, p0.token), 413],
    ["malformed JSON is 400", () => post("{\"specversion\": ", structured, p0.token), 400],
    ["invalid UTF-8 is 400",
     () => post(Buffer.concat([Buffer.from(body.slice(0, -2)), Buffer.from([0xc3, 0x28]), Buffer.from("\"}")]),
                structured, p0.token), 400],
    ["a duplicate key is 400", () => post(body.replace("{", "{\"id\":\"dup\","), structured, p0.token), 400],
    ["nesting 5000 deep is 400",
     () => post(body.replace(/}$/, `,"deep":${"[".repeat(5000)}${"]".repeat(5000)}}`), structured, p0.token), 400],
    ["an empty batch is 400", () => post("[]", batchType, p0.token), 400],
    ["a batch over its limit is refused",
     () => post(JSON.stringify(Array.from({ length: 1001 }, (_, i) => ({ ...sample, id: `${sample.id}-${i}` }))),
                batchType, p0.token), [400, 413]],
    ["application/json without ce-specversion is 415",
     () => post(JSON.stringify(sample.data), { "content-type": "application/json", "ce-id": "x",
                                               "ce-source": sample.source, "ce-type": sample.type },
                p0.token), 415],
    ["another publisher's source is 403",
     () => post(JSON.stringify({ ...sample, source: p1.source }), structured, p0.token), 403],
    ["PUT is 405", () => fetch(`${base}/events`, { method: "PUT", body }).then((r) => ({ status: r.status })), 405],
    ["GET of an unknown event is 404",
     () => fetch(`${base}/events/${encodeURIComponent(p0.source)}/never-${opt.run}`,
                 { headers: { authorization: `Bearer ${p0.token}` } }).then((r) => ({ status: r.status })), 404],
];
const notAllowed = ["nl.telefonie.gesprek-aangeboden", "nl.sociaal-domein.verwijzing-ontvangen"]
    .find((t) => !p0.types.includes(t));
if (notAllowed) {
    const other = own(examples.find((e) => e.type === notAllowed)).event;
    cases.push([`a type the token may not send is 403`,
                () => post(JSON.stringify({ ...other, source: p0.source }), structured, p0.token), 403]);
}
for (const [what, send, want] of cases) {
    let answer;
    try {
        answer = await send();
    } catch (err) {
        answer = { status: `error:${err.cause?.code ?? err.message}` };
    }
    const wanted = Array.isArray(want) ? want : [want];
    check(wanted.includes(answer.status), what, `got ${answer.status} ${JSON.stringify(answer.problem ?? "")}`);
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
