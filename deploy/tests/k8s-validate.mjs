// Validates caseflow's Kubernetes manifests offline (run by deploy/tests/k8s.sh,
// which installs `kubernetes-models` and `yaml` next to a copy of this file):
//
//   node k8s-validate.mjs DIR
//
// 1. Every YAML document of DIR/*.yaml parses, and reads the same under YAML
//    1.1 (what kubectl's parser follows: octal 0440, yes/no) and YAML 1.2.
// 2. Each document is validated with the kubernetes-models class of its
//    apiVersion and kind (the Kubernetes OpenAPI schemas), and any field the
//    schema does not know is reported (a misspelt field is otherwise dropped
//    silently by the API server or kubectl).
// 3. The documents fit together: Services select a StatefulSet's pods and
//    name ports they have, probes ask /healthz and /readyz, referenced
//    ConfigMaps, Secrets (and their keys) and volumes exist, one replica per
//    stream, and the NetworkPolicies allow exactly the flows of DESIGN.md.
// 4. Personal data's keys: each key holder (intake, handover) keeps its key
//    store on a claim of its own (CASEFLOW_KEY_STORE on it), no other
//    service has one; intake alone mounts the matching secret from a Secret,
//    read-only and on neither claim (CASEFLOW_MATCH_SECRET names the file),
//    and the committed value is a placeholder intake refuses (under 16 bytes).
// 5. Intake runs as two shards (intake, intake-noord: the same binary, the
//    second with CASEFLOW_STREAM), both in the flows and among the key
//    holders and secret readers, and every service that follows intake is
//    told to follow both (CASEFLOW_FOLLOW).
// Prints one line per failure and a summary; exits 1 on any failure.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";

const dir = process.argv[2];
if (!dir) {
    console.error("usage: node k8s-validate.mjs DIR");
    process.exit(2);
}
const failures = [];
const fail = (where, what) => failures.push(`${where}: ${what}`);

// ------------------------------------------------------------ parse (1)
const docs = [];
let kustomization = null;
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
for (const file of files) {
    const text = readFileSync(join(dir, file), "utf8");
    const read = (version) => parseAllDocuments(text, { version, prettyErrors: true });
    const v12 = read("1.2");
    const v11 = read("1.1");
    v12.forEach((doc, i) => {
        const where = `${file}#${i + 1}`;
        for (const e of [...doc.errors, ...doc.warnings]) fail(where, `YAML: ${e.message}`);
        const value = doc.toJS();
        if (value === null || value === undefined) return;   // an empty document
        if (JSON.stringify(value) !== JSON.stringify(v11[i] && v11[i].toJS()))
            fail(where, "reads differently under YAML 1.1 and 1.2 (quote the ambiguous scalars)");
        if (value.kind === "Kustomization") kustomization = { file, value };
        else docs.push({ where, file, value });
    });
}

// ------------------------------------------------------- schemas (2)
// Records every property the schema's validator reads; an own property it
// never reads is one the schema does not define.
function track(value, path, seen, cache) {
    if (value === null || typeof value !== "object") return value;
    if (cache.has(value)) return cache.get(value);
    const proxy = new Proxy(value, {
        get(target, key, receiver) {
            const v = Reflect.get(target, key, receiver);
            if (typeof key === "string" && Object.prototype.hasOwnProperty.call(target, key)) {
                seen.add(`${path}/${key}`);
                return track(v, `${path}/${key}`, seen, cache);
            }
            return v;
        },
    });
    cache.set(value, proxy);
    return proxy;
}
function unknownFields(value, path, seen, out) {
    if (value === null || typeof value !== "object") return;
    for (const key of Object.keys(value)) {
        const p = `${path}/${key}`;
        if (!seen.has(p)) out.push(p);
        else unknownFields(value[key], p, seen, out);
    }
}

let validated = 0;
for (const { where, value } of docs) {
    const { apiVersion, kind } = value;
    if (!apiVersion || !kind) {
        fail(where, "no apiVersion or kind");
        continue;
    }
    let Model;
    try {
        Model = (await import(`kubernetes-models/${apiVersion}/${kind}`))[kind];
    } catch {
        Model = undefined;
    }
    if (!Model) {
        fail(where, `no kubernetes-models class for ${apiVersion} ${kind}`);
        continue;
    }
    try {
        new Model(value).validate();
    } catch (e) {
        fail(where, `${kind} ${value.metadata?.name}: ${e.message}`);
        continue;
    }
    const seen = new Set();
    const unknown = [];
    try {
        Model.prototype.validate.call(track(value, "", seen, new Map()));
    } catch {
        // Already reported above; cannot happen for a valid document.
    }
    unknownFields(value, "", seen, unknown);
    for (const path of unknown) fail(where, `${kind} ${value.metadata?.name}: unknown field ${path}`);
    validated++;
}

// ---------------------------------------------------- consistency (3)
const byKind = (kind) => docs.filter((d) => d.value.kind === kind).map((d) => d.value);
const matches = (selector, labels) =>
    Object.entries(selector || {}).every(([k, v]) => (labels || {})[k] === v);
const sets = byKind("StatefulSet");
const services = byKind("Service");
const configMaps = byKind("ConfigMap");
const secrets = byKind("Secret");
const policies = byKind("NetworkPolicy");
const podLabels = (set) => set.spec.template.metadata?.labels || {};
const container = (set) => set.spec.template.spec.containers[0];
const portNames = (set) =>
    new Set(set.spec.template.spec.containers.flatMap((c) => (c.ports || []).map((p) => p.name)));
const component = (set) => podLabels(set)["app.kubernetes.io/component"];
// A stream's service: a shard (intake-noord) runs its kind's binary.
const kindOf = (name) => name.split("-")[0];
const envName = (name) => name.toUpperCase().replace(/-/g, "_");

for (const d of docs) {
    const v = d.value;
    if (v.kind !== "Namespace" && v.metadata?.namespace !== "caseflow")
        fail(d.where, `${v.kind} ${v.metadata?.name}: not in namespace caseflow`);
}
if (kustomization) {
    const listed = new Set(kustomization.value.resources || []);
    for (const f of files)
        if (f !== kustomization.file && !listed.has(f)) fail(kustomization.file, `${f} is not listed`);
    for (const f of listed) if (!files.includes(f)) fail(kustomization.file, `lists missing ${f}`);
}
if (sets.length === 0) fail(dir, "no StatefulSet");

const configData = Object.assign({}, ...configMaps.map((c) => c.data || {}));
for (const set of sets) {
    const name = set.metadata.name;
    const where = `StatefulSet ${name}`;
    const c = container(set);
    if (set.spec.replicas !== 1) fail(where, "replicas must be 1 (one writer per stream)");
    if (!matches(set.spec.selector.matchLabels, podLabels(set))) fail(where, "selector does not match its pods");
    const svc = services.find((s) => s.metadata.name === set.spec.serviceName);
    if (!svc) fail(where, `serviceName ${set.spec.serviceName}: no such Service`);
    else if (svc.spec.clusterIP !== "None" || !svc.spec.publishNotReadyAddresses)
        fail(where, "its Service must be headless and publish not-ready addresses");
    if (!(c.command || []).join(" ").startsWith(`caseflow-${kindOf(name)}`)) fail(where, `command is not caseflow-${kindOf(name)}`);
    if (c.livenessProbe?.httpGet?.path !== "/healthz") fail(where, "liveness probe is not /healthz");
    if (c.readinessProbe?.httpGet?.path !== "/readyz") fail(where, "readiness probe is not /readyz");
    for (const probe of [c.livenessProbe, c.readinessProbe])
        if (probe?.httpGet && !portNames(set).has(probe.httpGet.port))
            fail(where, `probe port ${probe.httpGet.port} is not a container port`);
    if (!c.resources?.requests || !c.resources?.limits) fail(where, "resource requests and limits");
    const env = Object.fromEntries((c.env || []).map((e) => [e.name, e.value]));
    for (const [var_, port] of [["CASEFLOW_EVENTS_BIND", "events"], ["CASEFLOW_API_BIND", "api"], ["CASEFLOW_HTTP_BIND", "http"]]) {
        const want = c.ports.find((p) => p.name === port)?.containerPort;
        if (!env[var_] || !env[var_].endsWith(`:${want}`)) fail(where, `${var_} does not bind its ${port} port ${want}`);
    }
    for (const ref of c.envFrom || [])
        if (ref.configMapRef && !configMaps.some((m) => m.metadata.name === ref.configMapRef.name))
            fail(where, `ConfigMap ${ref.configMapRef.name} does not exist`);
    const volumes = new Set([
        ...(set.spec.template.spec.volumes || []).map((v) => v.name),
        ...(set.spec.volumeClaimTemplates || []).map((t) => t.metadata.name),
    ]);
    for (const m of c.volumeMounts || []) if (!volumes.has(m.name)) fail(where, `mounts unknown volume ${m.name}`);
    if (!(c.volumeMounts || []).some((m) => m.mountPath === "/var/lib/caseflow" &&
            (set.spec.volumeClaimTemplates || []).some((t) => t.metadata.name === m.name)))
        fail(where, "/var/lib/caseflow is not on a persistent volume claim");
    for (const v of set.spec.template.spec.volumes || []) {
        if (!v.secret) continue;
        const secret = secrets.find((s) => s.metadata.name === v.secret.secretName);
        if (!secret) { fail(where, `Secret ${v.secret.secretName} does not exist`); continue; }
        const keys = new Set(Object.keys({ ...(secret.data || {}), ...(secret.stringData || {}) }));
        for (const item of v.secret.items || []) if (!keys.has(item.key)) fail(where, `Secret key ${item.key} does not exist`);
    }
    // The endpoints every pod reads point at this stream's pod and ports.
    const upper = envName(name);
    for (const [suffix, port] of [["EVENTS", "events"], ["API", "api"]]) {
        const want = `tcp://${name}-0.${set.spec.serviceName}:${svc?.spec.ports.find((p) => p.name === port)?.port}`;
        if (configData[`CASEFLOW_${upper}_${suffix}`] !== want)
            fail("ConfigMap", `CASEFLOW_${upper}_${suffix} is not ${want}`);
    }
}
for (const svc of services) {
    const set = sets.find((s) => matches(svc.spec.selector, podLabels(s)));
    if (!set) { fail(`Service ${svc.metadata.name}`, "selects no StatefulSet's pods"); continue; }
    for (const p of svc.spec.ports)
        if (typeof p.targetPort === "string" && !portNames(set).has(p.targetPort))
            fail(`Service ${svc.metadata.name}`, `targetPort ${p.targetPort} is not a container port`);
}

// ------------------------------------------------------------ keys (4)
// Who holds residents' keys, and who reads the matching secret (the key of
// intake's keyed hashes); intake refuses a secret under 16 bytes.
const keyHolders = new Set(["intake", "intake-noord", "handover", "gateway"]);
const secretReaders = new Set(["intake", "intake-noord"]);
const MIN_SECRET = 16;
const KEY_MOUNT = "/var/lib/caseflow-keys";
const under = (path, dir) => path === dir || (path || "").startsWith(`${dir.replace(/\/$/, "")}/`);
for (const name of keyHolders)
    if (!sets.some((s) => s.metadata.name === name)) fail(`StatefulSet ${name}`, "missing (it holds keys)");
for (const set of sets) {
    const name = set.metadata.name;
    const where = `StatefulSet ${name}`;
    const c = container(set);
    const env = Object.fromEntries((c.env || []).map((e) => [e.name, e.value]));
    const claims = new Map((set.spec.volumeClaimTemplates || []).map((t) => [t.metadata.name, t]));
    const mounts = c.volumeMounts || [];
    const onClaim = (path) => mounts.find((m) => m.mountPath === path && claims.has(m.name));
    const data = onClaim("/var/lib/caseflow");
    const keys = onClaim(KEY_MOUNT);
    if (keyHolders.has(name)) {
        if (!keys) fail(where, `holds keys: no claim of its own mounted on ${KEY_MOUNT}`);
        else {
            if (data && keys.name === data.name) fail(where, "the key store shares the journal's claim");
            const modes = claims.get(keys.name).spec?.accessModes || [];
            if (modes.join() !== "ReadWriteOnce") fail(where, `key claim ${keys.name} is not ReadWriteOnce`);
            if (!under(env.CASEFLOW_KEY_STORE, KEY_MOUNT))
                fail(where, `CASEFLOW_KEY_STORE (${env.CASEFLOW_KEY_STORE}) is not on its key claim`);
        }
    } else if (keys || "CASEFLOW_KEY_STORE" in env) {
        fail(where, "holds no keys, yet has a key store");
    }
    // The secret: a file from a Secret volume mounted read-only, never on a claim.
    const secretVolumes = new Map((set.spec.template.spec.volumes || [])
        .filter((v) => v.secret?.secretName === "caseflow-match-secret").map((v) => [v.name, v]));
    const secretMounts = mounts.filter((m) => secretVolumes.has(m.name));
    if (!secretReaders.has(name)) {
        if (secretMounts.length || "CASEFLOW_MATCH_SECRET" in env)
            fail(where, "reads the matching secret, which only intake needs");
        continue;
    }
    const path = env.CASEFLOW_MATCH_SECRET;
    const from = secretMounts.find((m) => (secretVolumes.get(m.name).secret.items || [])
        .some((item) => `${m.mountPath}/${item.path}` === path));
    if (!from) fail(where, `CASEFLOW_MATCH_SECRET (${path}) is not a file of the Secret caseflow-match-secret`);
    else if (!from.readOnly) fail(where, "the matching secret is not mounted read-only");
    for (const m of mounts)
        if (claims.has(m.name) && under(path, m.mountPath)) fail(where, `the matching secret is on the claim ${m.name}`);
}
const matchSecret = secrets.find((s) => s.metadata.name === "caseflow-match-secret");
if (!matchSecret) fail("Secret caseflow-match-secret", "missing");
else {
    const values = [
        ...Object.values(matchSecret.stringData || {}).map((v) => Buffer.byteLength(v)),
        ...Object.values(matchSecret.data || {}).map((v) => Buffer.from(v, "base64").length),
    ];
    if (values.some((n) => n >= MIN_SECRET))
        fail("Secret caseflow-match-secret", `holds a usable secret (${MIN_SECRET} bytes or more): ` +
             "never commit one; keep a placeholder intake refuses");
}

// The flows between the services, as DESIGN.md draws them: each service
// subscribes to its upstreams' events and asks their api for replay.
const upstreams = {
    intake: ["handover", "assignment", "notification", "gateway"],
    "intake-noord": ["handover", "assignment", "notification", "gateway"],
    assignment: ["intake", "intake-noord"],
    handover: ["intake", "intake-noord", "gateway"],
    notification: ["intake", "intake-noord", "assignment", "handover", "gateway"],
    // Intake and handover for inbound outcomes; all four for webhooks.
    gateway: ["intake", "intake-noord", "assignment", "handover", "notification"],
    // The read side follows every stream (and asks intake's api for a
    // person's details on their behalf).
    console: ["intake", "intake-noord", "assignment", "handover", "notification", "gateway"],
};
// The shards (5): what each pod writes and follows, by its environment.
for (const set of sets) {
    const name = set.metadata.name;
    const env = Object.fromEntries((container(set).env || []).map((e) => [e.name, e.value]));
    if ((env.CASEFLOW_STREAM || kindOf(name)) !== name)
        fail(`StatefulSet ${name}`, `CASEFLOW_STREAM is not ${name}`);
    const ups = upstreams[name] || [];
    if (ups.includes("intake-noord") && env.CASEFLOW_FOLLOW !== ups.join(","))
        fail(`StatefulSet ${name}`, `CASEFLOW_FOLLOW is not ${ups.join(",")}`);
}
if (configData.CASEFLOW_INTAKE_SHARDS !== "intake-noord=Noord")
    fail("ConfigMap", "CASEFLOW_INTAKE_SHARDS does not map a district to intake-noord");
const expected = new Set();
for (const [from, ups] of Object.entries(upstreams))
    for (const to of ups) for (const port of ["events", "api"]) expected.add(`${from}->${to}:${port}`);
const setsSelected = (selector) => sets.filter((s) => matches(selector?.matchLabels, podLabels(s)));
const allowedIn = new Set();
const allowedOut = new Set();
if (!policies.some((p) => Object.keys(p.spec.podSelector || {}).length === 0 &&
        ["Ingress", "Egress"].every((t) => (p.spec.policyTypes || []).includes(t)) &&
        !p.spec.ingress && !p.spec.egress))
    fail("NetworkPolicy", "no default deny of ingress and egress");
for (const pol of policies) {
    const where = `NetworkPolicy ${pol.metadata.name}`;
    const targets = setsSelected(pol.spec.podSelector);
    const forRole = "caseflow-role" in (pol.spec.podSelector?.matchLabels || {});
    if (Object.keys(pol.spec.podSelector || {}).length && targets.length === 0 && !forRole)
        fail(where, "selects no pods");
    for (const rule of pol.spec.ingress || []) {
        for (const peer of rule.from || []) {
            if (peer.namespaceSelector) continue;   // pods outside: operators, clients, consumers, monitoring
            for (const src of setsSelected(peer.podSelector))
                for (const dst of targets)
                    for (const p of rule.ports || []) allowedIn.add(`${component(src)}->${component(dst)}:${p.port}`);
        }
        for (const dst of targets)
            for (const p of rule.ports || [])
                if (typeof p.port === "string" && !portNames(dst).has(p.port)) fail(where, `port ${p.port} is not on ${component(dst)}`);
    }
    for (const rule of pol.spec.egress || []) {
        for (const peer of rule.to || []) {
            // Outside the cluster's pods: the gateway's webhook sinks.
            if (peer.namespaceSelector || peer.ipBlock) continue;
            for (const dst of setsSelected(peer.podSelector)) {
                for (const src of targets)
                    for (const p of rule.ports || []) allowedOut.add(`${component(src)}->${component(dst)}:${p.port}`);
                for (const p of rule.ports || [])
                    if (typeof p.port === "string" && !portNames(dst).has(p.port)) fail(where, `port ${p.port} is not on ${component(dst)}`);
            }
        }
    }
}
for (const [what, allowed] of [["ingress", allowedIn], ["egress", allowedOut]]) {
    for (const flow of expected) if (!allowed.has(flow)) fail("NetworkPolicy", `${what} does not allow ${flow}`);
    for (const flow of allowed) if (!expected.has(flow)) fail("NetworkPolicy", `${what} allows ${flow}, not a flow of DESIGN.md`);
}

for (const f of failures) console.log(`FAIL ${f}`);
console.log(`${validated} of ${docs.length} documents valid against the Kubernetes schemas ` +
    `(kubernetes-models), ${failures.length} problem(s); ${sets.length} StatefulSets, ` +
    `${services.length} Services, ${policies.length} NetworkPolicies, flows checked: ${expected.size}, ` +
    `key stores on claims of their own: ${[...keyHolders].join(", ")}; matching secret: ${[...secretReaders].join(", ")}`);
process.exit(failures.length ? 1 : 0);
