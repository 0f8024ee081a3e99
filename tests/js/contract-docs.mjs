// contract-docs.mjs: the documents' half of js/contract (contract.mjs):
// the examples of docs/cloudevents.md, docs/openapi.yaml and
// docs/asyncapi.yaml, and their agreement with the schemas and with
// proto/caseflow/v1/event.proto.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { outboundEvents } from "./profile.mjs";

const require = createRequire(import.meta.url);

// The ```json blocks of a Markdown text, parsed: [{ line, value }].
function jsonBlocks(markdown) {
    const blocks = [];
    const re = /^```json\n([\s\S]*?)^```/gm;
    for (const m of markdown.matchAll(re)) {
        const line = markdown.slice(0, m.index).split("\n").length;
        blocks.push({ line, text: m[1] });
    }
    return blocks;
}

// The CloudEvents SDK builds the event (its own validation), serialises it
// in structured and binary mode and reads each back: the attributes and
// data must come back unchanged. Returns a failure text or null.
function sdkRoundTrip(cloudevents, event) {
    const { CloudEvent, HTTP } = cloudevents;
    const built = new CloudEvent(event, true);
    for (const mode of ["structured", "binary"]) {
        const message = HTTP[mode](built);
        const back = HTTP.toEvent({ headers: message.headers, body: message.body });
        const want = JSON.parse(JSON.stringify(event));
        const got = JSON.parse(JSON.stringify(back));
        for (const [key, value] of Object.entries(want)) {
            // The SDK writes time in UTC with milliseconds: the same instant.
            if (key === "time" && Date.parse(got[key]) === Date.parse(value))
                continue;
            if (JSON.stringify(got[key]) !== JSON.stringify(value))
                return `${mode} mode gave ${key} = ${JSON.stringify(got[key])}`;
        }
    }
    return null;
}

export async function checkDocs({ root, modules, compiled, check }) {
    const docPath = join(root, "docs/cloudevents.md");
    const markdown = readFileSync(docPath, "utf8");

    // ---- The OpenAPI document: valid, with the answers the page lists.
    const openapiParser = await import(require.resolve("@readme/openapi-parser"));
    const openapiFile = join(root, "docs/openapi.yaml");
    const result = await openapiParser.validate(openapiFile);
    check(result.valid, `docs/openapi.yaml: ${JSON.stringify(result.errors ?? [])}`);
    const api = await openapiParser.dereference(openapiFile);
    const post = api.paths?.["/events"]?.post;
    const statuses = Object.keys(post?.responses ?? {}).sort().join(",");
    check(statuses === "202,400,401,403,405,413,415,503",
          `docs/openapi.yaml: POST /events answers ${statuses}`);
    for (const mode of ["application/cloudevents+json", "application/cloudevents-batch+json",
                        "application/json"])
        check(post?.requestBody?.content?.[mode], `docs/openapi.yaml: POST /events takes ${mode}`);
    for (const path of ["/events/{source}/{id}", "/healthz", "/readyz", "/metrics"])
        check(api.paths?.[path]?.get, `docs/openapi.yaml: GET ${path}`);
    for (const [status, answer] of Object.entries(post?.responses ?? {}))
        if (status !== "202" && status !== "405")
            check(answer.content?.["application/problem+json"],
                  `docs/openapi.yaml: POST /events ${status} is application/problem+json`);
    const openapiTypes = post?.requestBody?.content?.["application/cloudevents+json"]?.schema?.oneOf
        ?.map((s) => s.properties?.type?.const).sort();
    const catalogue = [...compiled.byType.keys()].sort();
    check(JSON.stringify(openapiTypes) === JSON.stringify(catalogue),
          `docs/openapi.yaml: the inbound types are the catalogue's (${openapiTypes})`);

    // The answers' schemas, for the page's examples of them. OpenAPI 3.1
    // schemas are draft 2020-12; "example" and the like are annotations.
    const answers = new modules.Ajv2020({ allErrors: true, strict: false });
    modules.addFormats(answers);
    const problem = answers.compile(api.components.schemas.Problem);
    const status = answers.compile(api.components.schemas.InboundStatus);

    // ---- The page's examples.
    let examples = 0;
    for (const block of jsonBlocks(markdown)) {
        const where = `docs/cloudevents.md:${block.line}`;
        let value;
        try {
            value = JSON.parse(block.text);
        } catch (err) {
            check(false, `${where}: not JSON (${err.message})`);
            continue;
        }
        examples++;
        const events = Array.isArray(value) ? value : [value];
        if (value.specversion || Array.isArray(value)) {
            for (const event of events) {
                if (event.sequence !== undefined) {
                    const ok = compiled.webhook(event);
                    check(ok, `${where}: delivery example: ${JSON.stringify(compiled.webhook.errors)}`);
                } else {
                    const check_ = compiled.byType.get(event.type);
                    check(check_, `${where}: type ${event.type} is not in the catalogue`);
                    if (check_)
                        check(check_(event), `${where}: ${JSON.stringify(check_.errors)}`);
                }
                let why;
                try {
                    why = sdkRoundTrip(modules.cloudevents, event);
                } catch (err) {
                    why = err.message + (err.errors ? JSON.stringify(err.errors) : "");
                }
                check(!why, `${where}: the CloudEvents SDK: ${why}`);
            }
        } else if (value.status && value.title) {
            check(problem(value), `${where}: problem example: ${JSON.stringify(problem.errors)}`);
        } else if (value.state) {
            check(status(value), `${where}: status example: ${JSON.stringify(status.errors)}`);
        } else {
            check(false, `${where}: an example js/contract cannot classify`);
        }
    }
    const exampleTypes = new Set(jsonBlocks(markdown).map((b) => {
        try { return JSON.parse(b.text).type; } catch { return undefined; }
    }));
    for (const type of catalogue)
        check(exampleTypes.has(type), `docs/cloudevents.md: no example of ${type}`);
    check(examples >= catalogue.length + 3, `docs/cloudevents.md: only ${examples} examples`);

    // ---- Inbound catalogue: the page's headings name every type.
    for (const type of catalogue)
        check(markdown.includes(`\`${type}\``), `docs/cloudevents.md: does not name ${type}`);

    // ---- Outbound: every event of event.proto, on the page and in the
    // AsyncAPI document (topics and webhook types).
    const events = outboundEvents(join(root, "proto/caseflow/v1/event.proto"));
    check(events.length > 0, "event.proto: no events found");
    const { Parser } = require("@asyncapi/parser");
    const asyncapiFile = join(root, "docs/asyncapi.yaml");
    const parsed = await new Parser().parse(readFileSync(asyncapiFile, "utf8"),
                                            { source: asyncapiFile });
    const errors = parsed.diagnostics.filter((d) => d.severity === 0);
    check(parsed.document && errors.length === 0,
          `docs/asyncapi.yaml: ${errors.map((d) => `${d.message} at ${d.path.join(".")}`)}`);
    const raw = parsed.document?.json() ?? {};
    const webhookTypes = new Set(raw.components?.messages?.webhookDelivery?.payload?.schema
        ?.properties?.type?.enum ?? []);
    for (const e of events) {
        check(markdown.includes(`\`${e.type}\``),
              `docs/cloudevents.md: the outbound type ${e.type} (${e.topic}) is missing`);
        check(webhookTypes.has(e.type),
              `docs/asyncapi.yaml: the webhook type ${e.type} (${e.topic}) is missing`);
        const topics = raw.channels?.[e.stream]?.parameters?.eventType?.enum ?? [];
        check(topics.includes(e.name),
              `docs/asyncapi.yaml: channel ${e.stream} lacks the topic ${e.topic}`);
    }
    // The other way round, a type documented before its event reaches this
    // event.proto (a branch not merged yet) is reported, not failed.
    const outboundOnPage = new Set(markdown.match(/nl\.sociaal-domein\.[a-z]+\.[a-z0-9-]+/g)
        .filter((t) => /^nl\.sociaal-domein\.(intake|assignment|handover|notification|gateway)\./.test(t)));
    for (const t of new Set([...outboundOnPage, ...webhookTypes]))
        if (!events.some((e) => e.type === t))
            console.log(`NOTE: ${t} is documented but is no event of event.proto yet`);
}
