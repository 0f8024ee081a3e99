// webhooks.mjs: ctest js/webhooks. Never lost, as a consumer's own tools
// see it: the build's real caseflow-gateway delivers its stream's
// InboundAccepted events to receiver.mjs (which parses each with the
// CloudEvents SDK and checks the profile) while the receiver fails with
// 500s, answers 429 with Retry-After, holds a request past the timeout and
// is down for longer than several back-off rounds, and while the gateway is
// killed with SIGKILL and started again. Every event the gateway accepted
// (202) must arrive, each id once in the receiver's output, in sequence
// order, none breaking the profile. Skipped (77) when the build's gateway
// has no webhooks.
//
//   node webhooks.mjs SOURCE_DIR BUILD_DIR WORK_DIR
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { freePort } from "./ports.mjs";
import { loadModules } from "./profile.mjs";

const [root, build, work] = process.argv.slice(2);
if (!root || !build || !work) {
    console.error("usage: node webhooks.mjs SOURCE_DIR BUILD_DIR WORK_DIR");
    process.exit(2);
}
const gatewayBin = join(build, "bin/caseflow-gateway");
const ctlBin = join(build, "bin/caseflowctl");
const run = promisify(execFile);
if (!existsSync(gatewayBin) || !existsSync(ctlBin)) {
    console.log("SKIP: no caseflow-gateway in this build");
    process.exit(77);
}
const help = await run(gatewayBin, ["--help"]).catch((err) => err);
const ctlHelp = await run(ctlBin, ["--help"]).catch((err) => err);
if (!String(help.stdout ?? "").includes("--webhook-retry-base-ms")
    || !/^\s+webhooks\s/m.test(`${ctlHelp.stdout ?? ""}${ctlHelp.stderr ?? ""}`)) {
    console.log("SKIP: this build's gateway or caseflowctl has no webhooks");
    process.exit(77);
}
if (!loadModules()) {
    console.log("SKIP: the npm packages are not installed (js/install)");
    process.exit(77);
}
const here = dirname(fileURLToPath(import.meta.url));
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

let passed = 0;
const failures = [];
function check(ok, what) {
    if (ok)
        passed++;
    else
        failures.push(what);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- The receiver: fails in every way the issue names, then takes all.
const EVENTS = 60;
const sinkToken = "sink-token-0123456789abcdef0123456789abcdef";
writeFileSync(join(work, "sink.token"), sinkToken + "\n");
const receiver = spawn(process.execPath, [
    join(here, "receiver.mjs"), "--schemas", join(root, "docs/schemas"),
    "--plan", "500*3,429:1,timeout,down:2500,503*2", "--hold", "3000",
    "--token-file", join(work, "sink.token"), "--out", join(work, "got.jsonl"),
    "--log", join(work, "requests.jsonl"), "--expect", String(EVENTS), "--max-seconds", "100",
], { stdio: ["ignore", "pipe", "inherit"] });
const receiverLines = createInterface({ input: receiver.stdout });
const receiverPort = Number((await new Promise((r) => receiverLines.once("line", r))).split(" ")[1]);
const receiverOut = [];
receiverLines.on("line", (l) => receiverOut.push(l));
const receiverExit = new Promise((r) => receiver.on("exit", (code) => r(code)));

// ---- The gateway, with back-off in milliseconds.
const api = `tcp://127.0.0.1:${await freePort()}`;
const eventsBind = `tcp://127.0.0.1:${await freePort()}`;
const nowhere = `tcp://127.0.0.1:${await freePort()}`;
// Every stream the gateway follows points nowhere: nothing of another test
// is followed by accident.
const upstreams = ["intake", "assignment", "handover", "notification"]
    .filter((s) => String(help.stdout).includes(`--${s}-events`))
    .flatMap((s) => [`--${s}-events`, nowhere, `--${s}-api`, nowhere]);
let gateway = null;
let httpPort = 0;
async function startGateway() {
    const child = spawn(gatewayBin, [
        "--data-dir", join(work, "gateway"), "--events-bind", eventsBind, "--api-bind", api,
        "--http-bind", httpPort ? `127.0.0.1:${httpPort}` : "127.0.0.1:0",
        ...upstreams,
        "--webhook-retry-base-ms", "50", "--webhook-retry-cap-ms", "400",
        "--webhook-timeout-ms", "1000", "--webhook-attempts", "100000",
        "--webhook-max-age-ms", "600000",
    ], { stdio: ["ignore", "ignore", "pipe"] });
    const lines = createInterface({ input: child.stderr });
    const exited = new Promise((r) => child.on("exit", (code, signal) => r({ code, signal })));
    httpPort = await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("the gateway did not say its HTTP port")), 20000);
        lines.on("line", (line) => {
            const m = line.match(/on port (\d+)/);
            if (m) {
                clearTimeout(timer);
                resolve(Number(m[1]));
            }
        });
        exited.then(() => reject(new Error("the gateway exited at start")));
    });
    gateway = { child, exited };
}

async function ctl(args) {
    for (let attempt = 0; attempt < 50; attempt++) {
        try {
            return (await run(ctlBin, ["--gateway", api, "--timeout", "2000", "--json", ...args])).stdout;
        } catch (err) {
            if (err.code !== 3)
                throw new Error(`caseflowctl ${args.join(" ")}: ${err.stderr}`);
            await sleep(200);
        }
    }
    throw new Error(`caseflowctl ${args.join(" ")}: the gateway never answered`);
}

async function publish(count, suffix) {
    const r = await run(process.execPath, [
        join(here, "publish.mjs"), "--url", `http://127.0.0.1:${httpPort}/events`,
        "--token-file", join(work, "telefonie.token"), "--doc", join(root, "docs/cloudevents.md"),
        "--type", "nl.telefonie.gesprek-aangeboden", "--source", source, "--count", String(count),
        "--id-suffix", suffix, "--expect", "202", "--quiet"]).catch((err) => err);
    check(r.code === undefined, `publish.mjs ${suffix}: ${String(r.stdout).trim()}`);
}

const source = "urn:nld:oin:00000001234567890000:systeem:telefonie";
try {
    await startGateway();
    writeFileSync(join(work, "telefonie.token"), "telefonie-token-0123456789abcdef0123456789\n");
    await ctl(["gateway", "publisher", "add", "--id", "telefonie", "--source", source,
               "--type", "nl.telefonie.gesprek-aangeboden", "--channel", "telephony",
               "--token-file", join(work, "telefonie.token")]);
    const added = JSON.parse(await ctl(["webhooks", "add", "--sink", `http://127.0.0.1:${receiverPort}/hooks`,
                                        "--type", "nl.sociaal-domein.gateway.inbound-accepted",
                                        "--token-file", join(work, "sink.token")]));
    check(typeof added.subscription_id === "string", `webhooks add: ${JSON.stringify(added)}`);

    // Half the events, a SIGKILL while the receiver is still failing, the
    // other half after the restart.
    await publish(EVENTS / 2, "a");
    await sleep(300);
    gateway.child.kill("SIGKILL");
    await gateway.exited;
    await startGateway();
    await publish(EVENTS / 2, "b");

    const code = await receiverExit;
    const summary = JSON.parse(receiverOut.at(-1) ?? "{}");
    check(code === 0, `receiver: exit ${code}, ${JSON.stringify(summary)}`);
    const got = readFileSync(join(work, "got.jsonl"), "utf8").trim().split("\n").filter(Boolean)
        .map((l) => JSON.parse(l));
    check(got.length === EVENTS, `${got.length} distinct events arrived, ${EVENTS} were accepted`);
    const sequences = got.map((e) => e.sequence);
    check(sequences.every((s, i) => i === 0 || s > sequences[i - 1]),
          `in sequence order: ${sequences.join(",")}`);
    check(summary.errors === 0, `no delivery broke the profile (${summary.errors})`);
    const log = readFileSync(join(work, "requests.jsonl"), "utf8").trim().split("\n")
        .map((l) => JSON.parse(l));
    check(log.some((l) => l.method === "OPTIONS"), "the handshake came first");
    check(log.filter((l) => l.answer === 500).length === 3 && log.some((l) => l.answer === 429)
          && log.some((l) => l.answer === "timeout") && log.some((l) => l.answer === "down"),
          "the receiver failed in every way the plan says");
    const status = JSON.parse(await ctl(["webhooks", "status", added.subscription_id]));
    check(status.parked === 0 || status.parked === undefined, `nothing parked: ${JSON.stringify(status)}`);
} catch (err) {
    check(false, err.stack ?? String(err));
} finally {
    if (gateway) {
        gateway.child.kill("SIGTERM");
        const { code } = await gateway.exited;
        check(code === 0 || code === null, `the gateway stops cleanly (exit ${code})`);
    }
    receiver.kill("SIGTERM");
}

for (const f of failures)
    console.log(`FAIL: ${f}`);
console.log(`${passed} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
