// live.mjs: ctest js/gateway. The CloudEvents SDK and conformance.mjs
// against a real caseflow-gateway from the build tree: four publishers
// registered with caseflowctl (one per channel), conformance.mjs's checks,
// then publish.mjs in structured, binary and batch mode with repeats from
// four publishers at once, every answer 202, and the gateway stopped
// cleanly. Skipped (77) when the build has no caseflow-gateway.
//
//   node live.mjs SOURCE_DIR BUILD_DIR WORK_DIR
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { freePort } from "./ports.mjs";
import { loadModules } from "./profile.mjs";

const [root, build, work] = process.argv.slice(2);
if (!root || !build || !work) {
    console.error("usage: node live.mjs SOURCE_DIR BUILD_DIR WORK_DIR");
    process.exit(2);
}
const gatewayBin = join(build, "bin/caseflow-gateway");
const ctlBin = join(build, "bin/caseflowctl");
if (!existsSync(gatewayBin) || !existsSync(ctlBin)) {
    console.log("SKIP: no caseflow-gateway in this build");
    process.exit(77);
}
if (!loadModules()) {
    console.log("SKIP: the npm packages are not installed (js/install)");
    process.exit(77);
}
const here = dirname(fileURLToPath(import.meta.url));
const run = promisify(execFile);
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

const api = `tcp://127.0.0.1:${await freePort()}`;
const nowhere = `tcp://127.0.0.1:${await freePort()}`;
// Every stream the gateway follows points nowhere (nothing of another
// test is followed by accident): events stay "accepted".
const help = String((await run(gatewayBin, ["--help"]).catch((err) => err)).stdout ?? "");
const upstreams = ["intake", "assignment", "handover", "notification"]
    .filter((s) => help.includes(`--${s}-events`))
    .flatMap((s) => [`--${s}-events`, nowhere, `--${s}-api`, nowhere]);
const gateway = spawn(gatewayBin, [
    "--data-dir", join(work, "gateway"), "--events-bind", `tcp://127.0.0.1:${await freePort()}`,
    "--api-bind", api, "--http-bind", "127.0.0.1:0", ...upstreams,
], { stdio: ["ignore", "ignore", "pipe"] });
const exited = new Promise((resolve) => gateway.on("exit", (code, signal) => resolve({ code, signal })));
const logLines = createInterface({ input: gateway.stderr });
const httpPort = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the gateway did not say its HTTP port")), 20000);
    logLines.on("line", (line) => {
        const m = line.match(/on port (\d+)/);
        if (m) {
            clearTimeout(timer);
            resolve(Number(m[1]));
        }
    });
    exited.then(() => reject(new Error("the gateway exited at start")));
});
const url = `http://127.0.0.1:${httpPort}`;

try {
    // ---- Publishers, one per channel.
    const publishers = [
        ["wijkpartner", "partner", "urn:nld:oin:00000001234567890000:systeem:wijkpartner",
         ["nl.sociaal-domein.verwijzing-ontvangen"]],
        ["backoffice", "municipality", "urn:nld:oin:00000001234567890000:systeem:backoffice",
         ["nl.sociaal-domein.verwijzing-ontvangen", "nl.sociaal-domein.beschikking-aangevraagd",
          "nl.sociaal-domein.beschikking-afgegeven"]],
        ["zorg-noord", "provider", "urn:nld:kvknr:00000001:systeem:zorgdossier",
         ["nl.sociaal-domein.overdracht-aangekondigd"]],
        ["telefonie", "telephony", "urn:nld:oin:00000001234567890000:systeem:telefonie",
         ["nl.telefonie.gesprek-aangeboden", "nl.telefonie.gesprek-beantwoord",
          "nl.telefonie.gesprek-afgebroken"]],
    ];
    const registered = [];
    for (const [id, channel, source, types] of publishers) {
        const tokenFile = join(work, `${id}.token`);
        const token = `${id}-token-${Math.random().toString(36).slice(2)}-0123456789abcdef`;
        writeFileSync(tokenFile, token + "\n");
        let added = false;
        for (let attempt = 0; attempt < 50 && !added; attempt++) {
            try {
                await run(ctlBin, ["--gateway", api, "--timeout", "2000", "gateway", "publisher", "add",
                                   "--id", id, "--source", source, "--type", types.join(","),
                                   "--channel", channel, "--token-file", tokenFile]);
                added = true;
            } catch (err) {
                if (err.code !== 3)
                    throw new Error(`publisher add ${id}: ${err.stderr}`);
                await new Promise((r) => setTimeout(r, 200));
            }
        }
        check(added, `caseflowctl gateway publisher add ${id}`);
        registered.push({ id, source, token, tokenFile, types });
    }
    writeFileSync(join(work, "publishers.json"), JSON.stringify(registered));

    // ---- Every answer of the page.
    const conformance = await run(process.execPath, [
        join(here, "conformance.mjs"), "--url", url, "--publishers", join(work, "publishers.json"),
        "--root", root]).catch((err) => err);
    const lines = String(conformance.stdout ?? "").trim().split("\n");
    for (const line of lines.filter((l) => l.startsWith("FAIL")))
        check(false, `conformance: ${line}`);
    check(conformance.code === undefined, `conformance.mjs: ${lines.at(-1)}`);

    // ---- The SDK's emitter in every mode, four publishers at once, with
    // repeats: every answer 202.
    const doc = join(root, "docs/cloudevents.md");
    const modes = ["structured", "binary", "batch", "structured"];
    const runs = await Promise.all(registered.map((p, i) => run(process.execPath, [
        join(here, "publish.mjs"), "--url", `${url}/events`, "--token-file", p.tokenFile,
        "--doc", doc, "--type", p.types.join(","), "--source", p.source, "--mode", modes[i],
        "--batch-size", "25", "--count", "100", "--repeat-fraction", "0.1", "--concurrency", "4",
        "--expect", "202", "--quiet"]).catch((err) => err)));
    runs.forEach((r, i) => check(r.code === undefined,
                                 `publish.mjs ${modes[i]} as ${registered[i].id}: ${String(r.stdout).trim()}`));
} catch (err) {
    check(false, err.stack ?? String(err));
} finally {
    gateway.kill("SIGTERM");
    const { code, signal } = await exited;
    check(code === 0, `the gateway stops cleanly on SIGTERM (exit ${code}, signal ${signal})`);
}

for (const f of failures)
    console.log(`FAIL: ${f}`);
console.log(`${passed} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
