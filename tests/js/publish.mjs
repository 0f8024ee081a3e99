// publish.mjs: a publisher built on the official CloudEvents SDK (npm
// `cloudevents`), for the gateway's live tests: it builds each event with the
// SDK (its own validation), serialises it with the SDK's HTTP binding through
// the SDK's emitter (structured or binary mode) or as a batch, POSTs it with
// a bearer token, and prints the answer's status.
//
//   node publish.mjs --url URL [--token T | --token-file F]
//                    [--mode structured|binary|batch] [--batch-size N]
//                    (--events FILE | --doc MARKDOWN) [--type T[,T…]] [--source URN]
//                    [--count N] [--id-suffix S] [--repeat-fraction F] [--concurrency N]
//                    [--timeout MS] [--expect STATUS] [--no-validate]
//                    [--transport fetch|sdk] [--header NAME:VALUE]… [--json] [--quiet]
//
//   --events FILE        a JSON array of events, or one event per line
//   --doc MARKDOWN       the inbound example events of a page (docs/cloudevents.md)
//   --type T[,T…]        only the events of these types
//   --source URN         send every event with this source (the token's)
//   --count N            send N events, cycling through the given ones, each
//                        with its id suffixed "-<i>" (distinct events)
//   --id-suffix S        appended to every id ("-S"), so that runs are distinct
//   --repeat-fraction F  that fraction of the requests re-sends an event sent
//                        before (same source and id), e.g. 0.1
//   --concurrency N      requests in flight at once (default 1: in order)
//   --expect STATUS      exit 1 unless every answer had this status
//   --no-validate        build events without the SDK's validation (to send
//                        events the gateway must refuse)
//   --header NAME:VALUE  one more request header (e.g. WebHook-Request-Origin:x
//                        when it plays the gateway delivering to a sink)
//   --transport sdk      send through the SDK's own httpTransport (its answer
//                        carries no status: printed as "sent")
//
// One line per request on stdout: "<status> <mode> <id>[,<id>…]" (status
// "error:<code>" when no answer came), or a JSON object with --json
// ({status, mode, ids, body}); a last line sums the statuses. Exit 0 when
// every request was answered (and matched --expect), 1 otherwise, 2 on a
// usage error, 77 when the npm packages are not installed.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
let sdk;
try {
    sdk = require("cloudevents");
} catch {
    console.error("publish.mjs: the npm packages are not installed (tests/js/install.sh)");
    process.exit(77);
}
const { CloudEvent, HTTP, Mode, emitterFor, httpTransport } = sdk;

const { values: opt } = parseArgs({
    options: {
        url: { type: "string" },
        token: { type: "string" },
        "token-file": { type: "string" },
        mode: { type: "string", default: "structured" },
        "batch-size": { type: "string", default: "100" },
        events: { type: "string" },
        doc: { type: "string" },
        type: { type: "string" },
        source: { type: "string" },
        count: { type: "string" },
        "id-suffix": { type: "string" },
        "repeat-fraction": { type: "string", default: "0" },
        concurrency: { type: "string", default: "1" },
        timeout: { type: "string", default: "10000" },
        expect: { type: "string" },
        "no-validate": { type: "boolean", default: false },
        transport: { type: "string", default: "fetch" },
        header: { type: "string", multiple: true, default: [] },
        json: { type: "boolean", default: false },
        quiet: { type: "boolean", default: false },
    },
});
function usage(why) {
    console.error(`publish.mjs: ${why} (see the head of publish.mjs)`);
    process.exit(2);
}
if (!opt.url)
    usage("--url is required");
if (!["structured", "binary", "batch"].includes(opt.mode))
    usage("--mode is structured, binary or batch");
if (!!opt.events === !!opt.doc)
    usage("give --events FILE or --doc MARKDOWN");
if (opt.transport === "sdk" && opt.mode === "batch")
    usage("the SDK's emitter has no batch mode: --transport sdk takes structured or binary");
const token = opt["token-file"]
    ? readFileSync(opt["token-file"], "utf8").split("\n")[0].trim()
    : opt.token;
const extraHeaders = {};
for (const h of opt.header) {
    const colon = h.indexOf(":");
    if (colon < 1)
        usage(`--header ${h}: NAME:VALUE`);
    extraHeaders[h.slice(0, colon).trim().toLowerCase()] = h.slice(colon + 1).trim();
}
if (token)
    extraHeaders.authorization = `Bearer ${token}`;

// ---- The events to send.
function readEvents() {
    if (opt.doc) {
        const markdown = readFileSync(opt.doc, "utf8");
        return [...markdown.matchAll(/^```json\n([\s\S]*?)^```/gm)]
            .map((m) => JSON.parse(m[1]))
            .flatMap((v) => (Array.isArray(v) ? v : [v]))
            .filter((e) => e.specversion && e.sequence === undefined && String(e.source).startsWith("urn:nld:"));
    }
    const text = readFileSync(opt.events, "utf8").trim();
    return text.startsWith("[") ? JSON.parse(text)
                                : text.split("\n").filter(Boolean).map((l) => JSON.parse(l));
}
let plain = readEvents();
if (opt.type) {
    const types = opt.type.split(",");
    plain = plain.filter((e) => types.includes(e.type));
}
if (opt.source)
    plain = plain.map((e) => ({ ...e, source: opt.source }));
if (opt["id-suffix"])
    plain = plain.map((e) => ({ ...e, id: `${e.id}-${opt["id-suffix"]}` }));
if (plain.length === 0)
    usage("no events to send");
if (opt.count) {
    const count = Number(opt.count);
    plain = Array.from({ length: count }, (_, i) => {
        const e = structuredClone(plain[i % plain.length]);
        e.id = `${e.id}-${i}`;
        return e;
    });
}
const validate = !opt["no-validate"];
const events = plain.map((e) => new CloudEvent(e, validate));

// ---- Requests: one per event, or one per batch; some repeated.
let requests = [];
if (opt.mode === "batch") {
    const size = Number(opt["batch-size"]);
    for (let i = 0; i < events.length; i += size)
        requests.push(events.slice(i, i + size));
} else {
    requests = events.map((e) => [e]);
}
const fraction = Number(opt["repeat-fraction"]);
if (fraction > 0) {
    const repeats = Math.round(requests.length * fraction);
    for (let i = 0; i < repeats; i++) {
        // A repeat of an earlier request, placed after it.
        const from = Math.floor(Math.random() * requests.length);
        const to = from + 1 + Math.floor(Math.random() * (requests.length - from));
        requests.splice(to, 0, requests[from]);
    }
}

// The transport under the SDK's emitter: the message the SDK's HTTP binding
// made, POSTed with the token. fetch, because the SDK's httpTransport
// resolves without the answer's status.
const timeout = Number(opt.timeout);
async function fetchTransport(message) {
    const headers = { ...message.headers, ...extraHeaders };
    const response = await fetch(opt.url, {
        method: "POST", headers, body: message.body, signal: AbortSignal.timeout(timeout),
    });
    return { status: response.status, body: await response.text() };
}
const auth = { headers: extraHeaders };
const emit = opt.transport === "sdk"
    ? emitterFor(httpTransport(opt.url), { binding: HTTP, mode: opt.mode === "binary" ? Mode.BINARY : Mode.STRUCTURED })
    : emitterFor(fetchTransport, { binding: HTTP, mode: opt.mode === "binary" ? Mode.BINARY : Mode.STRUCTURED });

async function send(batch) {
    if (opt.mode === "batch") {
        // A batch is a JSON array of structured events (CloudEvents JSON
        // batch format); the SDK serialises each event.
        return fetchTransport({
            headers: { "content-type": "application/cloudevents-batch+json" },
            body: `[${batch.map((e) => e.toString()).join(",")}]`,
        });
    }
    const answer = await emit(batch[0], auth);
    return opt.transport === "sdk" ? { status: "sent", body: answer.body } : answer;
}

const tally = new Map();
let failed = false;
async function one(batch) {
    let answer;
    try {
        answer = await send(batch);
    } catch (err) {
        const code = err.name === "TimeoutError" ? "timeout" : (err.cause?.code ?? err.code ?? err.name);
        answer = { status: `error:${code}`, body: "" };
    }
    tally.set(answer.status, (tally.get(answer.status) ?? 0) + 1);
    if (String(answer.status).startsWith("error:")
        || (opt.expect && String(answer.status) !== opt.expect))
        failed = true;
    const ids = batch.map((e) => e.id);
    if (opt.json)
        console.log(JSON.stringify({ status: answer.status, mode: opt.mode, ids, body: answer.body }));
    else if (!opt.quiet)
        console.log(`${answer.status} ${opt.mode} ${ids.join(",")}`);
}

const concurrency = Math.max(1, Number(opt.concurrency));
let next = 0;
await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < requests.length)
        await one(requests[next++]);
}));
const summary = [...tally].map(([status, n]) => `${status} x${n}`).join(", ");
console.log(opt.json ? JSON.stringify({ requests: requests.length, statuses: Object.fromEntries(tally) })
                     : `${requests.length} requests: ${summary}`);
process.exit(failed ? 1 : 0);
