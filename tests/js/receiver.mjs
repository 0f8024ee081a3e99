// receiver.mjs: a webhook sink for the gateway's live tests. It parses
// every delivery with the official CloudEvents SDK (npm `cloudevents`),
// checks the NL GOV profile's attributes as caseflow sets them
// (docs/schemas/webhook.json and the rules of docs/cloudevents.md: the
// type's stream is the one source names, dataref points at the subject's
// case, no personal data in data), answers
// by a scripted plan, deduplicates by id and writes what it got.
//
//   node receiver.mjs --schemas DIR [--port P] [--host H] [--plan PLAN]
//                     [--token T | --token-file F] [--origin NAME|*|refuse]
//                     [--out FILE] [--log FILE] [--hold MS]
//                     [--expect N] [--max-seconds S]
//
//   --schemas DIR   docs/schemas (webhook.json is checked against each delivery)
//   --port P        0 (default) for any free port; the first line on stdout is
//                   "listening <port>"
//   --plan PLAN     how to answer the deliveries (POSTs), in order, comma-
//                   separated steps, each optionally "*N" times; after the last
//                   step every delivery gets 200:
//                     200 | 204 | 500 | 503 | 410   that status
//                     429:S        429 with Retry-After: S (seconds)
//                     timeout      no answer: the connection is held for --hold
//                                  ms (default 30000), then closed
//                     down:MS      the connection is reset and the port closed
//                                  (connections refused) for MS ms
//                   e.g. "500*3,429:2,timeout,down:5000"
//   --token         deliveries without "Authorization: Bearer <token>" get 401
//                   (no plan step used)
//   --origin        how to answer the OPTIONS handshake: WebHook-Allowed-Origin
//                   "*" (default) or NAME; "refuse" answers 403
//   --out FILE      each distinct event once, as a JSON line, in arrival order
//   --log FILE      every request as a JSON line: {n, at, method, answer, id,
//                   source, sequence, duplicate, errors}
//   --expect N      exit once N distinct events arrived (0, or 1 with profile
//                   errors); --max-seconds S (default 600) gives up (exit 1)
//
// On SIGTERM or SIGINT (or --expect) it prints one JSON line on stdout,
// {requests, deliveries, distinct, duplicates, out_of_order, errors,
// handshakes}, and exits 0 when no delivery broke the profile, else 1.
// out_of_order counts distinct events whose sequence is below one already
// received from their source (a parked event resent comes late by design).
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import { compileSchemas, loadModules } from "./profile.mjs";

const modules = loadModules();
if (!modules) {
    console.error("receiver.mjs: the npm packages are not installed (tests/js/install.sh)");
    process.exit(77);
}
const { HTTP } = modules.cloudevents;

const { values: opt } = parseArgs({
    options: {
        schemas: { type: "string" },
        port: { type: "string", default: "0" },
        host: { type: "string", default: "127.0.0.1" },
        plan: { type: "string", default: "" },
        token: { type: "string" },
        "token-file": { type: "string" },
        origin: { type: "string", default: "*" },
        out: { type: "string" },
        log: { type: "string" },
        hold: { type: "string", default: "30000" },
        expect: { type: "string" },
        "max-seconds": { type: "string", default: "600" },
    },
});
function usage(why) {
    console.error(`receiver.mjs: ${why} (see the head of receiver.mjs)`);
    process.exit(2);
}
if (!opt.schemas)
    usage("--schemas DIR is required");
const token = opt["token-file"]
    ? readFileSync(opt["token-file"], "utf8").split("\n")[0].trim()
    : opt.token;
const compiled = compileSchemas(modules, opt.schemas);

// ---- The plan: a list of steps, consumed one per delivery.
const plan = [];
for (const part of opt.plan.split(",").map((s) => s.trim()).filter(Boolean)) {
    const [step, times = "1"] = part.split("*");
    let parsed;
    if (/^(200|204|500|503|410)$/.test(step))
        parsed = { kind: "status", status: Number(step) };
    else if (/^429:\d+$/.test(step))
        parsed = { kind: "status", status: 429, retryAfter: step.split(":")[1] };
    else if (step === "timeout")
        parsed = { kind: "timeout" };
    else if (/^down:\d+$/.test(step))
        parsed = { kind: "down", ms: Number(step.split(":")[1]) };
    else
        usage(`--plan: unknown step "${step}"`);
    if (!/^\d+$/.test(times))
        usage(`--plan: bad count in "${part}"`);
    for (let i = 0; i < Number(times); i++)
        plan.push(parsed);
}
const hold = Number(opt.hold);

if (opt.out)
    writeFileSync(opt.out, "");
if (opt.log)
    writeFileSync(opt.log, "");
const seen = new Map();        // id -> first arrival
const highest = new Map();     // source -> highest sequence received
const stats = {
    requests: 0, deliveries: 0, distinct: 0, duplicates: 0, out_of_order: 0, errors: 0,
    handshakes: 0,
};

// The profile's rules for one delivery: the JSON Schema, then what a
// schema cannot say. Returns a list of error texts.
function profileErrors(headers, raw) {
    const errors = [];
    if (!String(headers["content-type"] ?? "").startsWith("application/cloudevents+json"))
        errors.push(`content-type is ${headers["content-type"]}, not application/cloudevents+json`);
    if (!headers["webhook-request-origin"])
        errors.push("no WebHook-Request-Origin header");
    // The SDK reads every mode; the schema checks the structured form (the
    // body as sent, or the SDK's reading of a binary-mode request).
    let parsed;
    try {
        parsed = HTTP.toEvent({ headers, body: raw });
        for (const e of Array.isArray(parsed) ? parsed : [parsed])
            e.validate();
    } catch (err) {
        errors.push(`the CloudEvents SDK refuses it: ${err.message} ${JSON.stringify(err.errors ?? "")}`);
    }
    let event;
    try {
        event = String(headers["content-type"] ?? "").startsWith("application/cloudevents")
            ? JSON.parse(raw) : JSON.parse(JSON.stringify(parsed ?? null));
    } catch (err) {
        return [...errors, `body is not JSON: ${err.message}`];
    }
    if (event === null || typeof event !== "object" || Array.isArray(event))
        return [...errors, "not one event"];
    if (!compiled.webhook(event))
        for (const e of compiled.webhook.errors)
            errors.push(`${e.instancePath || "/"} ${e.message}`);
    const stream = typeof event.type === "string" ? event.type.split(".")[2] : undefined;
    if (typeof event.source === "string" && !event.source.endsWith(`:${stream}`))
        errors.push(`source ${event.source} does not name the stream of type ${event.type}`);
    if (event.subject !== undefined && !String(event.dataref).endsWith(`/cases/${event.subject}`))
        errors.push("dataref does not point at the subject's case");
    const personal = personalKeys(event.data);
    if (personal.length)
        errors.push(`data holds personal data: ${personal.join(", ")}`);
    return { errors, event };
}

// Keys that only a resident's personal data goes under (their identity,
// their question, sealed values): none may appear anywhere in data. Not
// "name" or "reason": a worker's or location's name and a parked event's
// reason are plain fields of plain events.
const PERSONAL = new Set(["resident", "birth_date", "bsn", "phone", "address", "question",
                          "personal", "sealed", "ciphertext"]);
function personalKeys(value, path = "data") {
    if (!value || typeof value !== "object")
        return [];
    return Object.entries(value).flatMap(([key, v]) =>
        [...(PERSONAL.has(key) ? [`${path}.${key}`] : []), ...personalKeys(v, `${path}.${key}`)]);
}

function log(entry) {
    if (opt.log)
        appendFileSync(opt.log, JSON.stringify(entry) + "\n");
}

const sockets = new Set();
let server;
let listeningPort = Number(opt.port);

function answer(res, status, extra = {}) {
    res.writeHead(status, { "content-length": "0", ...extra });
    res.end();
}

function handle(req, res, body) {
    stats.requests++;
    const n = stats.requests;
    const at = new Date().toISOString();
    if (req.method === "OPTIONS") {
        stats.handshakes++;
        const origin = req.headers["webhook-request-origin"];
        if (opt.origin === "refuse" || !origin) {
            log({ n, at, method: "OPTIONS", answer: 403, origin });
            return answer(res, 403);
        }
        log({ n, at, method: "OPTIONS", answer: 200, origin });
        return answer(res, 200, {
            allow: "POST, OPTIONS",
            "webhook-allowed-origin": opt.origin === "*" ? "*" : opt.origin,
        });
    }
    if (req.method !== "POST") {
        log({ n, at, method: req.method, answer: 405 });
        return answer(res, 405, { allow: "POST, OPTIONS" });
    }
    if (token && req.headers.authorization !== `Bearer ${token}`) {
        log({ n, at, method: "POST", answer: 401 });
        return answer(res, 401);
    }
    stats.deliveries++;
    const result = profileErrors(req.headers, body);
    const errors = Array.isArray(result) ? result : result.errors;
    const event = Array.isArray(result) ? undefined : result.event;
    const step = plan.shift() ?? { kind: "status", status: 200 };
    const entry = {
        n, at, method: "POST", answer: step.kind === "status" ? step.status : step.kind,
        id: event?.id, source: event?.source, type: event?.type, sequence: event?.sequence,
        duplicate: event?.id !== undefined && seen.has(event.id), errors,
    };
    if (errors.length)
        stats.errors++;
    log(entry);
    if (step.kind === "timeout") {
        setTimeout(() => res.destroy(), hold).unref();
        return;
    }
    if (step.kind === "down") {
        goDown(step.ms);
        res.destroy();
        return;
    }
    // Only an event the sink took (2xx) counts as received.
    if (step.status < 300 && event?.id !== undefined) {
        if (seen.has(event.id)) {
            stats.duplicates++;
        } else {
            seen.set(event.id, at);
            stats.distinct++;
            const top = highest.get(event.source);
            if (top !== undefined && event.sequence < top)
                stats.out_of_order++;
            if (top === undefined || event.sequence > top)
                highest.set(event.source, event.sequence);
            if (opt.out)
                appendFileSync(opt.out, JSON.stringify({ ...event, received_at: at }) + "\n");
        }
    }
    const headers = step.retryAfter ? { "retry-after": step.retryAfter } : {};
    answer(res, step.status, headers);
    if (opt.expect && stats.distinct >= Number(opt.expect))
        finish(stats.errors ? 1 : 0);
}

function listen(port) {
    server = createServer((req, res) => {
        const chunks = [];
        req.on("data", (c) => chunks.push(c));
        req.on("end", () => handle(req, res, Buffer.concat(chunks).toString("utf8")));
    });
    server.on("connection", (s) => {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
    });
    return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, opt.host, () => resolve(server.address().port));
    });
}

// Down for a while: the port closed (connections refused), every open
// connection reset, then the same port again.
function goDown(ms) {
    const old = server;
    old.close();
    for (const s of sockets)
        s.destroy();
    setTimeout(async function reopen() {
        try {
            await listen(listeningPort);
        } catch {
            setTimeout(reopen, 50);   //  the port not yet free
        }
    }, ms);
}

let finished = false;
function finish(code) {
    if (finished)
        return;
    finished = true;
    console.log(JSON.stringify(stats));
    process.exit(code);
}
process.on("SIGTERM", () => finish(stats.errors ? 1 : 0));
process.on("SIGINT", () => finish(stats.errors ? 1 : 0));
setTimeout(() => finish(1), Number(opt["max-seconds"]) * 1000).unref();
if (opt.expect)
    setInterval(() => {}, 1 << 30);   //  keep running until the events came

listeningPort = await listen(listeningPort);
console.log(`listening ${listeningPort}`);
