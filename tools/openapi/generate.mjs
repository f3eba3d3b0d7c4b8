#!/usr/bin/env node
// Generates src/model/openapi/kubernetes-<minor>.json, the schemas kubeha validates built-in kinds
// with (src/model/openapi/validate.ts), from the OpenAPI v3 documents that the real kube-apiserver
// serves: GET /openapi/v3 lists one document per group-version, and each is fetched with the
// kubectl that tools/cluster builds, from the cluster that `npm run cluster:up` starts (the same
// pinned Kubernetes as the e2e tests). Only what the API server serves is kept, so alpha APIs that
// are off by default, and versions it no longer serves, are not in the artifact.
//
// Usage: npm run openapi:generate            (cluster up; kubeconfig tools/cluster/.work/kubeconfig)
//        node tools/openapi/generate.mjs --kubeconfig FILE
//
// What is kept is what decoding and validating a manifest needs: type, format, properties, items,
// additionalProperties, required, the x-kubernetes-int-or-string / preserve-unknown-fields /
// embedded-resource markers, and which schema each creatable group/version/kind uses (from the
// collection POST operations). Descriptions, defaults, list and patch markers are dropped, and
// `allOf: [{$ref}]` wrappers become the plain reference. Component names lose their common
// prefixes (io.k8s.api., io.k8s.apimachinery.pkg.) to keep the file small.
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const kubectl = join(root, 'tools/cluster/bin/kubectl');
const kubeconfig = flag('--kubeconfig') ?? join(root, 'tools/cluster/.work/kubeconfig');
if (!existsSync(kubectl) || !existsSync(kubeconfig)) {
  console.error(
    `openapi:generate: needs ${kubectl} and a running cluster (${kubeconfig}): run 'npm run cluster:build' and 'npm run cluster:up' first`,
  );
  process.exit(1);
}

const get = (path) =>
  JSON.parse(
    execFileSync(kubectl, ['--kubeconfig', kubeconfig, 'get', '--raw', path], {
      maxBuffer: 256 * 1024 * 1024,
      encoding: 'utf8',
    }),
  );

const version = get('/version').gitVersion;
const listing = get('/openapi/v3').paths;
const documents = Object.entries(listing)
  .filter(([path]) => /^(api\/v1|apis\/[^/]+\/[^/]+)$/.test(path)) // group-versions, not group lists
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([path, { serverRelativeURL }]) => ({ path, document: get(serverRelativeURL) }));

const shortName = (name) => name.replace(/^io\.k8s\.api\./, '').replace(/^io\.k8s\.apimachinery\.pkg\./, '');
const refName = (ref) => shortName(ref.replace('#/components/schemas/', ''));

const KEPT = [
  'type',
  'format',
  'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
];

/** The part of one schema that validation reads. */
function compact(schema) {
  if (schema.$ref) return { $ref: refName(schema.$ref) };
  if (Array.isArray(schema.allOf) && schema.allOf.length === 1 && schema.allOf[0].$ref)
    return { $ref: refName(schema.allOf[0].$ref) };
  const out = {};
  for (const key of KEPT) if (schema[key] !== undefined) out[key] = schema[key];
  // IntOrString and Quantity are `oneOf: [{type: integer|number}, {type: string}]`.
  if (Array.isArray(schema.oneOf)) out.oneOf = schema.oneOf.map((s) => s.type).filter(Boolean);
  if (schema.properties) {
    out.properties = {};
    for (const [name, property] of Object.entries(schema.properties))
      out.properties[name] = compact(property);
  }
  if (schema.items) out.items = compact(schema.items);
  if (schema.additionalProperties !== undefined)
    out.additionalProperties =
      typeof schema.additionalProperties === 'object'
        ? compact(schema.additionalProperties)
        : schema.additionalProperties;
  if (Array.isArray(schema.required) && schema.required.length > 0)
    out.required = [...schema.required].sort();
  return out;
}

const schemas = {};
const kinds = {};
for (const { path, document } of documents) {
  for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
    schemas[shortName(name)] ??= compact(schema);
  }
  // Creatable kinds: a POST on a collection (no {name} in the path, so no subresource).
  for (const [opPath, operations] of Object.entries(document.paths ?? {})) {
    const post = operations.post;
    if (!post || opPath.includes('{name}')) continue;
    const gvk = post['x-kubernetes-group-version-kind'];
    const ref = Object.values(post.requestBody?.content ?? {})[0]?.schema?.$ref;
    if (!gvk || !ref) continue;
    const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
    kinds[`${apiVersion}/${gvk.kind}`] = refName(ref);
  }
  if (!path) throw new Error('unreachable');
}

// Only the schemas that some creatable kind reaches.
const reached = new Set();
const visit = (schema) => {
  if (!schema || typeof schema !== 'object') return;
  if (schema.$ref) {
    if (reached.has(schema.$ref)) return;
    reached.add(schema.$ref);
    return visit(schemas[schema.$ref]);
  }
  for (const p of Object.values(schema.properties ?? {})) visit(p);
  visit(schema.items);
  visit(schema.additionalProperties);
};
for (const ref of Object.values(kinds)) visit({ $ref: ref });
const sortedKinds = Object.fromEntries(Object.entries(kinds).sort(([a], [b]) => a.localeCompare(b)));
const kept = Object.fromEntries([...reached].sort().map((name) => [name, schemas[name]]));

const minor = version.replace(/^v(\d+\.\d+).*$/, '$1');
const out = join(root, 'src/model/openapi', `kubernetes-${minor}.json`);
const artifact = {
  kubernetesVersion: version,
  source: `GET /openapi/v3 of kube-apiserver ${version} (tools/cluster), by tools/openapi/generate.mjs`,
  kinds: sortedKinds,
  schemas: kept,
};
const text = JSON.stringify(artifact);
writeFileSync(out, `${text}\n`);
// Formatted as the repository formats JSON (npm run lint checks it), which also keeps the diff of a
// regenerated artifact readable.
execFileSync(join(root, 'node_modules/.bin/prettier'), ['--write', out], { stdio: 'ignore' });
console.log(
  `openapi:generate: ${Object.keys(sortedKinds).length} kinds, ${Object.keys(kept).length} schemas from ${documents.length} group-versions of ${version} -> ${out} (${(text.length / 1024).toFixed(0)} KiB)`,
);
