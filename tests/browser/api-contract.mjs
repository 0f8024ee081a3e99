// The console's JSON API against its OpenAPI document,
// docs/console-api.yaml: the document is a valid OpenAPI 3.1 document
// (@readme/openapi-parser), every /api route console_web.c serves is in
// it, and an answer of the real console is checked against it: its status
// is one the path documents, its content type that status's, its headers
// the constants it names (Allow, Retry-After), and its body valid against
// the schema (Ajv, JSON Schema 2020-12, as OpenAPI 3.1 schemas are). So
// the document cannot drift from what the console answers.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const DOCUMENT = 'docs/console-api.yaml';

// The document of SRC_DIR, loaded: { problems: [what is wrong with the
// document itself], verify(path, response) → Promise<{ errors, body }>,
// unseen() → the documented paths no 200 answer was verified for }.
export async function loadApiContract(srcDir) {
    const file = join(srcDir, DOCUMENT);
    const parser = await import(require.resolve('@readme/openapi-parser'));
    const problems = [];
    const result = await parser.validate(file);
    if (!result.valid) problems.push(`${DOCUMENT} is not valid OpenAPI 3.1: ${JSON.stringify(result.errors ?? [])}`);
    const api = await parser.dereference(file);
    const Ajv2020 = require('ajv/dist/2020').default;
    const addFormats = require('ajv-formats').default;
    // OpenAPI's "example" and the like are annotations: not strict.
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);

    // Every /api path console_web.c answers is documented: an exact path
    // as it is, a prefix ("/api/cases/") as a path with a parameter.
    const source = readFileSync(join(srcDir, 'services/console/console_web.c'), 'utf8');
    const documented = Object.keys(api.paths);
    for (const [, route] of source.matchAll(/"(\/api\/[a-z_/]*)"/g)) {
        if (route === '/api/') continue;  // the API's own prefix
        const found = route.endsWith('/')
            ? documented.some((p) => p.startsWith(route) && p.slice(route.length).startsWith('{'))
            : documented.includes(route);
        if (!found) problems.push(`${DOCUMENT} does not document ${route}, which console_web.c serves`);
    }

    const templates = documented.map((p) => ({
        path: p,
        re: new RegExp(`^${p.replace(/\{[^}]+\}/g, '[^/]+')}$`),
    }));
    const validators = new Map();
    const seen = new Set();
    return {
        problems,
        async verify(path, response) {
            const errors = [];
            const text = await response.text();
            let body = null;
            const urlPath = path.split('?')[0];
            const template = templates.find((t) => t.re.test(urlPath));
            if (!template) return { errors: [`${urlPath} is not in ${DOCUMENT}`], body };
            const status = String(response.status);
            const answer = api.paths[template.path].get?.responses?.[status];
            if (!answer) return { errors: [`${path}: ${status} is not an answer ${DOCUMENT} documents for ${template.path}`], body };
            for (const [name, header] of Object.entries(answer.headers ?? {}))
                if (header.schema?.const !== undefined && response.headers.get(name) !== header.schema.const)
                    errors.push(`${path}: ${status} has ${name}: ${response.headers.get(name)}, not ${header.schema.const}`);
            const type = response.headers.get('content-type');
            const media = answer.content?.[type];
            if (!media) {
                errors.push(`${path}: ${status} is ${type}, not ${Object.keys(answer.content ?? {})}`);
                return { errors, body };
            }
            try {
                body = JSON.parse(text);
            } catch (e) {
                errors.push(`${path}: not JSON (${e.message})`);
                return { errors, body };
            }
            const key = `${template.path} ${status} ${type}`;
            if (!validators.has(key)) validators.set(key, ajv.compile(media.schema));
            const validate = validators.get(key);
            if (!validate(body))
                errors.push(`${path}: ${status} does not match ${DOCUMENT}: ${ajv.errorsText(validate.errors, { separator: '; ' })}`);
            else if (status === '200') seen.add(template.path);
            return { errors, body };
        },
        unseen: () => documented.filter((p) => !seen.has(p)),
    };
}
