// profile.mjs: what the contract test and the webhook receiver share: the
// JSON Schemas of docs/schemas compiled with Ajv (draft 2020-12), the field
// an Ajv error names (as the gateway's problem+json names it), and the
// outbound event types derived from proto/caseflow/v1/event.proto.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

// The modules installed beside this script (tests/js/install.sh), or null
// when they are not there: the caller exits 77 (skipped).
export function loadModules() {
    try {
        const Ajv2020 = require("ajv/dist/2020").default;
        const addFormats = require("ajv-formats").default;
        const cloudevents = require("cloudevents");
        return { Ajv2020, addFormats, cloudevents };
    } catch (err) {
        return null;
    }
}

// Compiles every schema of `dir` (docs/schemas). Returns { ajv, byType,
// inbound, webhook }: byType maps each inbound type to its validator.
export function compileSchemas(modules, dir) {
    const ajv = new modules.Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, verbose: true });
    modules.addFormats(ajv);
    const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
    const schemas = files.map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")));
    for (const schema of schemas)
        ajv.addSchema(schema);
    const byType = new Map();
    for (const schema of schemas)
        if (schema.properties?.type?.const)
            byType.set(schema.properties.type.const, ajv.getSchema(schema.$id));
    return {
        ajv,
        byType,
        files,
        inbound: ajv.getSchema("cloudevent.json"),
        webhook: ajv.getSchema("webhook.json"),
    };
}

// The attributes an Ajv error names, as the gateway names them: "source",
// "data.resident.birth_date", array positions in brackets
// ("data.domains[1]"; for a repeated item, the later of the two).
export function errorFields(error) {
    const parts = error.instancePath.split("/").slice(1).map((p) =>
        p.replace(/~1/g, "/").replace(/~0/g, "~"));
    const params = error.params || {};
    const extra = params.missingProperty ?? params.additionalProperty ?? params.propertyName;
    if (extra !== undefined)
        parts.push(extra);
    if (error.keyword === "uniqueItems")
        parts.push(String(Math.max(params.i, params.j)));
    return [parts.reduce((path, part) =>
        /^\d+$/.test(part) ? `${path}[${part}]` : (path ? `${path}.${part}` : part), "")];
}

// Validates `event` (structured JSON) against the envelope and, when its
// type is in the catalogue, the type's schema. Returns the list of fields
// named by the errors ([] when valid).
export function inboundErrors(compiled, event) {
    const check = compiled.byType.get(event?.type) ?? compiled.inbound;
    if (check(event))
        return [];
    return [...new Set(check.errors.flatMap(errorFields))];
}

// "CaseRegistered" -> "case-registered".
export function kebab(name) {
    return name.replace(/([a-z0-9])([A-Z])/g, "$1-$2").replace(/([A-Z])([A-Z][a-z])/g, "$1-$2")
        .toLowerCase();
}

// The streams of event.proto's body ranges; 100-199 (the test service) is
// not a stream anyone subscribes to.
const RANGES = [
    [200, "intake"], [300, "assignment"], [400, "handover"], [500, "notification"],
    [600, "gateway"],
];

// Every event of every stream in `protoFile`: [{ stream, name, type,
// topic, number }], name being the body message's name.
export function outboundEvents(protoFile) {
    const text = readFileSync(protoFile, "utf8");
    const body = text.slice(text.indexOf("oneof body {"));
    const block = body.slice(0, body.indexOf("}"));
    const events = [];
    for (const m of block.matchAll(/^\s*([A-Za-z0-9_.]+)\s+[a-z0-9_]+\s*=\s*(\d+)\s*;/gm)) {
        const number = Number(m[2]);
        const range = RANGES.find(([start]) => number >= start && number < start + 100);
        if (!range)
            continue;
        const name = m[1].split(".").pop();
        const stream = range[1];
        events.push({
            stream, name, number,
            type: `nl.sociaal-domein.${stream}.${kebab(name)}`,
            topic: `${stream}.${name}`,
        });
    }
    return events;
}
