// harness.mjs: ctest js/harness. Runs publish.mjs against receiver.mjs, so
// that the two scripts the gateway's live tests drive are known to work
// before a gateway exists to drive them:
//   - the receiver answers by its plan (500, 429 with Retry-After, a held
//     request, a period down, then 200) and publish.mjs reports each answer's
//     status, or the error when none came;
//   - deliveries sent again after failures arrive once in the receiver's
//     output (deduplicated by id), in order; a repeat counts as duplicate;
//   - a wrong token is 401, the OPTIONS handshake echoes the origin;
//   - binary and batch requests made by the SDK parse in the receiver;
//   - a delivery that breaks the profile (a BSN as subject) is reported and
//     makes the receiver exit 1.
//
//   node harness.mjs SOURCE_DIR WORK_DIR
import { execFile, spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { loadModules } from "./profile.mjs";

const [root, work] = process.argv.slice(2);
if (!root || !work) {
    console.error("usage: node harness.mjs SOURCE_DIR WORK_DIR");
    process.exit(2);
}
if (!loadModules()) {
    console.log("SKIP: the npm packages are not installed (js/install)");
    process.exit(77);
}
const here = dirname(fileURLToPath(import.meta.url));
mkdirSync(work, { recursive: true });
const run = promisify(execFile);

let passed = 0;
const failures = [];
function check(ok, what) {
    if (ok)
        passed++;
    else
        failures.push(what);
}

// Deliveries as the gateway makes them: the page's example, seq 1..5.
const markdown = readFileSync(join(root, "docs/cloudevents.md"), "utf8");
const example = [...markdown.matchAll(/^```json\n([\s\S]*?)^```/gm)]
    .map((m) => JSON.parse(m[1])).find((e) => e.sequence);
const ulid = (i) => `01FRX3Q7ZK5M8N9P0QRSTVW${String(i).padStart(3, "0")}`;
function delivery(seq) {
    const e = structuredClone(example);
    e.id = ulid(seq);
    e.sequence = String(seq).padStart(20, "0");
    return e;
}
const token = "harness-token-0123456789abcdef0123456789";
writeFileSync(join(work, "token"), token + "\n");

async function startReceiver(name, plan, extra = []) {
    const out = join(work, `${name}.out.jsonl`);
    const log = join(work, `${name}.log.jsonl`);
    const child = spawn(process.execPath, [
        join(here, "receiver.mjs"), "--schemas", join(root, "docs/schemas"), "--plan", plan,
        "--token-file", join(work, "token"), "--hold", "4000", "--out", out, "--log", log,
        "--max-seconds", "50", ...extra,
    ], { stdio: ["ignore", "pipe", "inherit"] });
    const lines = createInterface({ input: child.stdout });
    const first = await new Promise((resolve) => lines.once("line", resolve));
    const port = Number(first.split(" ")[1]);
    const rest = [];
    lines.on("line", (l) => rest.push(l));
    const exited = new Promise((resolve) => child.on("exit", (code) => resolve(code)));
    return {
        url: `http://127.0.0.1:${port}/hooks`, out, log,
        async stop() {
            child.kill("SIGTERM");
            const code = await exited;
            return { code, summary: JSON.parse(rest.at(-1) ?? "{}") };
        },
    };
}

// One publish.mjs run; returns its parsed JSON lines and exit code.
async function publish(url, events, args = []) {
    const file = join(work, "events.json");
    writeFileSync(file, JSON.stringify(events));
    let stdout, code = 0;
    try {
        ({ stdout } = await run(process.execPath, [
            join(here, "publish.mjs"), "--url", url, "--token-file", join(work, "token"),
            "--events", file, "--json", "--timeout", "1000",
            "--header", "WebHook-Request-Origin:caseflow.test", ...args,
        ]));
    } catch (err) {
        stdout = err.stdout;
        code = err.code;
    }
    const lines = stdout.trim().split("\n").map((l) => JSON.parse(l));
    return { code, answers: lines.slice(0, -1), summary: lines.at(-1) };
}

// Delivers like the gateway (one at a time, in order, again until 2xx),
// in this process through the SDK's HTTP binding (publish.mjs is run
// enough below), and returns the statuses seen.
const { CloudEvent, HTTP } = loadModules().cloudevents;
async function deliverAll(url, events) {
    const statuses = [];
    for (const e of events) {
        for (let attempt = 0; attempt < 10; attempt++) {
            const message = HTTP.structured(new CloudEvent(e));
            let status;
            try {
                const r = await fetch(url, {
                    method: "POST", body: message.body, signal: AbortSignal.timeout(1000),
                    headers: { ...message.headers, authorization: `Bearer ${token}`,
                               "webhook-request-origin": "caseflow.test" } });
                status = r.status;
                await r.arrayBuffer();
            } catch (err) {
                status = err.name === "TimeoutError" ? "error:timeout" : `error:${err.cause?.code ?? err.name}`;
            }
            statuses.push(status);
            if (typeof status === "number" && status < 300)
                break;
            await new Promise((r) => setTimeout(r, status === 429 ? 1000 : 100));
        }
    }
    return statuses;
}

// ---- 1. The plan, and at-least-once turned into exactly-once by id.
{
    const r = await startReceiver("plan", "500,429:1,timeout,down:400,503*2");
    const events = [1, 2, 3, 4, 5].map(delivery);
    const statuses = await deliverAll(r.url, events);
    check(JSON.stringify(statuses.slice(0, 4)) === JSON.stringify([500, 429, "error:timeout", statuses[3]])
          && String(statuses[3]).startsWith("error:"),
          `plan: first answers were ${JSON.stringify(statuses.slice(0, 4))}`);
    check(statuses.slice(4, 6).every((s) => s === 503 || String(s).startsWith("error:")),
          `plan: while down and after: ${JSON.stringify(statuses.slice(4, 7))}`);
    check(statuses.filter((s) => s === 200).length === 5, `plan: five 200s in ${JSON.stringify(statuses)}`);
    // A repeat (the gateway resending after a lost answer) and a wrong token.
    const again = await publish(r.url, [events[2]]);
    check(again.answers[0].status === 200, `repeat answered ${again.answers[0].status}`);
    const bad = await publish(r.url, [events[0]], ["--token", "wrong"]);
    const badToken = await run(process.execPath, [
        join(here, "publish.mjs"), "--url", r.url, "--token", "not-the-token",
        "--events", join(work, "events.json"), "--json"]).catch((e) => e);
    check(JSON.parse(badToken.stdout.split("\n")[0]).status === 401, "a wrong token is 401");
    check(bad.code === 0, "publish.mjs exits 0 when every request was answered");
    // The handshake.
    const options = await fetch(r.url, {
        method: "OPTIONS", headers: { "webhook-request-origin": "caseflow.test" } });
    check(options.status === 200 && options.headers.get("webhook-allowed-origin") === "*",
          `handshake answered ${options.status} ${options.headers.get("webhook-allowed-origin")}`);
    const { code, summary } = await r.stop();
    check(code === 0, `receiver exit ${code} with ${JSON.stringify(summary)}`);
    check(summary.distinct === 5 && summary.duplicates >= 1 && summary.out_of_order === 0
          && summary.errors === 0 && summary.handshakes === 1,
          `receiver summary ${JSON.stringify(summary)}`);
    const got = readFileSync(r.out, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    check(JSON.stringify(got.map((e) => e.sequence)) === JSON.stringify(events.map((e) => e.sequence)),
          `receiver output in order, each once: ${got.map((e) => e.sequence)}`);
}

// ---- 2. Binary and batch requests of the SDK, and deliveries breaking the
// profile.
{
    const r = await startReceiver("modes", "");
    const binary = await publish(r.url, [delivery(6)], ["--mode", "binary"]);
    check(binary.answers[0]?.status === 200, `binary: ${JSON.stringify(binary.answers)}`);
    const sdk = await publish(r.url, [delivery(7)], ["--transport", "sdk"]);
    check(sdk.answers[0]?.status === "sent", `sdk transport: ${JSON.stringify(sdk.answers)}`);
    const bsn = delivery(8);
    bsn.subject = "999990019";
    const broken = await publish(r.url, [bsn], ["--no-validate"]);
    check(broken.answers[0]?.status === 200, `broken delivery: ${JSON.stringify(broken.answers)}`);
    const leak = delivery(11);
    leak.data.reminder.resident = { name: "Fictief Voorbeeld" };
    const leaked = await publish(r.url, [leak]);
    check(leaked.answers[0]?.status === 200, `leaking delivery: ${JSON.stringify(leaked.answers)}`);
    const batch = await publish(r.url, [9, 10].map(delivery), ["--mode", "batch", "--expect", "200"]);
    check(batch.code === 0 && batch.answers.length === 1, `batch: ${JSON.stringify(batch)}`);
    const { code, summary } = await r.stop();
    check(code === 1 && summary.errors === 4,
          `the profile's breaches (binary mode, a BSN subject, personal data, a batch) make exit 1: ${code} ${JSON.stringify(summary)}`);
    const log = readFileSync(r.log, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const bsnEntry = log.find((l) => l.id === bsn.id);
    check(bsnEntry?.errors.some((e) => e.includes("subject")), `subject breach logged: ${JSON.stringify(bsnEntry)}`);
    const leakEntry = log.find((l) => l.id === leak.id);
    check(leakEntry?.errors.some((e) => e.includes("data.reminder.resident")),
          `personal data in data logged: ${JSON.stringify(leakEntry)}`);
    const binaryEntry = log.find((l) => l.id === ulid(6));
    check(binaryEntry?.errors.length === 1 && binaryEntry.errors[0].startsWith("content-type"),
          `a binary delivery breaks only the structured-mode rule: ${JSON.stringify(binaryEntry)}`);
    const sdkEntry = log.find((l) => l.id === ulid(7));
    check(sdkEntry?.errors.length === 0, `the SDK's own transport: ${JSON.stringify(sdkEntry)}`);
}

for (const f of failures)
    console.log(`FAIL: ${f}`);
console.log(`${passed} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
