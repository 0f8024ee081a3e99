// contract.mjs: ctest js/contract. Checks caseflow's published CloudEvents
// contract with third-party libraries, so that what docs/ promises is what
// a publisher's or a consumer's own tools read:
//   - every JSON Schema of docs/schemas compiles (Ajv, draft 2020-12, strict);
//   - every example event of docs/cloudevents.md passes its schema and the
//     official CloudEvents SDK (built, sent through its HTTP binding in
//     structured and binary mode, read back equal);
//   - every bad event of tests/fixtures/cloudevents/inbound-bad.json fails
//     its schema naming the expected field (or passes it, where only the
//     gateway can check the rule);
//   - docs/openapi.yaml is a valid OpenAPI 3.1 document, docs/asyncapi.yaml
//     a valid AsyncAPI document, and both, with docs/cloudevents.md, list
//     exactly the inbound catalogue and every event of event.proto.
//
//   node contract.mjs SOURCE_DIR
//
// Exits 0 when all hold, 1 with one line per failure, 77 when the npm
// packages are not installed (js/install skipped).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compileSchemas, inboundErrors, loadModules, outboundEvents } from "./profile.mjs";

const root = process.argv[2];
if (!root) {
    console.error("usage: node contract.mjs SOURCE_DIR");
    process.exit(2);
}
const modules = loadModules();
if (!modules) {
    console.log("SKIP: the npm packages are not installed (js/install)");
    process.exit(77);
}

let passed = 0;
const failures = [];
function check(ok, what) {
    if (ok)
        passed++;
    else
        failures.push(what);
}

const compiled = compileSchemas(modules, join(root, "docs/schemas"));
check(compiled.inbound && compiled.webhook, "docs/schemas: cloudevent.json and webhook.json compile");
const catalogue = compiled.inbound.schema.properties.type.enum;
check(JSON.stringify([...compiled.byType.keys()].sort()) === JSON.stringify([...catalogue].sort()),
      `docs/schemas: one schema per inbound type (have ${[...compiled.byType.keys()]})`);

// ---- Bad events: each fails naming its field, or passes where only the
// gateway can tell.
const bad = JSON.parse(readFileSync(join(root, "tests/fixtures/cloudevents/inbound-bad.json"), "utf8"));
for (const c of bad.cases) {
    const fields = inboundErrors(compiled, c.event);
    if (c.schema)
        check(fields.includes(c.attribute),
              `inbound-bad "${c.name}": expected an error naming ${c.attribute}, got [${fields}]`);
    else
        check(fields.length === 0,
              `inbound-bad "${c.name}": only the gateway checks this, yet the schema said [${fields}]`);
}

await import("./contract-docs.mjs").then((m) => m.checkDocs({ root, modules, compiled, check }))
    .catch((err) => check(false, `docs: ${err.stack ?? err}`));

for (const f of failures)
    console.log(`FAIL: ${f}`);
console.log(`${passed} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
