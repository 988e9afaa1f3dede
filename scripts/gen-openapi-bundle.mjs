#!/usr/bin/env node
// Generates schemas/kubernetes-openapi.json.br: the Kubernetes OpenAPI v3 schemas of the built-in kinds of every
// Kubernetes release in schemas/SOURCES.tsv, stored once: each distinct definition (name and content) is kept once,
// and a release is the list of the definitions it has (most are the same from release to release), brotli-compressed.
// Only what validation needs is kept: types, formats, properties, items, additionalProperties, required, allOf/oneOf,
// $ref, x-kubernetes-preserve-unknown-fields, x-kubernetes-int-or-string and the kinds (descriptions are dropped).
//
// Sources (schemas/SOURCES.tsv: release, repository, commit, path, license): the OpenAPI v3 documents of the built-in
// API groups that kubernetes-sigs/kubectl-validate embeds per release (pkg/openapiclient/builtins/<release>/), and for
// releases it does not have yet, the upstream swagger.json (OpenAPI v2) kubernetes-client/python records per release
// (kubernetes/swagger.json.unprocessed); both Apache-2.0. The two forms give the same properties and required fields
// (compared on v1.35, which both have); the v2 form's `#/definitions/` references are read like v3's.
// Usage: node scripts/gen-openapi-bundle.mjs <repository>=<checkout at the recorded commit>...
//        (e.g. kubernetes-sigs/kubectl-validate=../kubectl-validate kubernetes-client/python=../python@v36.0.3)
//        write the store and schemas/kubernetes-openapi.json
//        node scripts/gen-openapi-bundle.mjs --check          fail when the store differs from its manifest (digest,
//                                                             releases, kinds), i.e. someone edited one of them
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Buffer } from 'node:buffer';
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const STORE = join(ROOT, 'schemas', 'kubernetes-openapi.json.br');
const MANIFEST = join(ROOT, 'schemas', 'kubernetes-openapi.json');
const SOURCES = join(ROOT, 'schemas', 'SOURCES.tsv');
const PREFIXES = ['#/components/schemas/', '#/definitions/'];
const KEEP = new Set([
  'type',
  'format',
  'properties',
  'items',
  'additionalProperties',
  'required',
  'allOf',
  'oneOf',
  'anyOf',
  'enum',
  '$ref',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-int-or-string',
  'x-kubernetes-embedded-resource',
]);

/** A schema with only what validation needs; `$ref`s shortened to the definition's name. */
function slim(schema) {
  if (Array.isArray(schema)) return schema.map(slim);
  if (schema === null || typeof schema !== 'object') return schema;
  const out = {};
  for (const key of Object.keys(schema).sort()) {
    if (!KEEP.has(key)) continue;
    const v = schema[key];
    if (key === '$ref') {
      const prefix = PREFIXES.find((p) => v.startsWith(p));
      out.$ref = prefix ? v.slice(prefix.length) : v;
    } else if (key === 'properties') {
      out.properties = {};
      for (const name of Object.keys(v).sort()) out.properties[name] = slim(v[name]);
    } else if (key === 'required' || key === 'enum') out[key] = v;
    else out[key] = slim(v);
  }
  return out;
}

function files(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((f) =>
      statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : f.endsWith('.json') ? [join(dir, f)] : [],
    );
}

/** apiVersion of a builtins file: api/v1.json → v1, apis/apps/v1.json → apps/v1. */
function apiVersionOf(dir, file) {
  const rel = relative(dir, file)
    .replace(/\\/g, '/')
    .replace(/\.json$/, '');
  return rel.startsWith('api/') ? rel.slice(4) : rel.slice(5);
}

/** A release from one swagger.json (OpenAPI v2): every definition, and the kinds of every group version it serves. */
function releaseOfSwagger(file) {
  const definitions = new Map();
  const kinds = new Map();
  for (const [name, schema] of Object.entries(JSON.parse(readFileSync(file, 'utf8')).definitions ?? {})) {
    definitions.set(name, JSON.stringify(slim(schema)));
    if (name.startsWith('io.k8s.apimachinery.pkg.apis.meta.')) continue;
    for (const gvk of schema['x-kubernetes-group-version-kind'] ?? []) {
      kinds.set(`${gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version}/${gvk.kind}`, name);
    }
  }
  return { definitions, kinds };
}

/** A release from a directory of OpenAPI v3 documents (api/v1.json, apis/<group>/<version>.json), or a swagger.json. */
function releaseOf(dir) {
  if (dir.endsWith('.json') || dir.endsWith('.unprocessed')) return releaseOfSwagger(dir);
  const definitions = new Map();
  const kinds = new Map();
  for (const file of files(dir)) {
    const apiVersion = apiVersionOf(dir, file);
    const schemas = JSON.parse(readFileSync(file, 'utf8')).components?.schemas ?? {};
    for (const [name, schema] of Object.entries(schemas)) {
      const text = JSON.stringify(slim(schema));
      const prior = definitions.get(name);
      if (prior !== undefined && prior !== text) {
        // apiregistration.k8s.io's document (served by the aggregator) words a few meta types differently (a $ref
        // without allOf): the core document's (api/v1, read first) is kept. Any other difference is an error.
        if (!name.startsWith('io.k8s.apimachinery.pkg.apis.meta.')) throw new Error(`${file}: ${name} differs`);
        continue;
      }
      definitions.set(name, text);
      // The kinds this group version serves (DeleteOptions and WatchEvent list every group: not manifests).
      if (name.startsWith('io.k8s.apimachinery.pkg.apis.meta.')) continue;
      for (const gvk of schema['x-kubernetes-group-version-kind'] ?? []) {
        const av = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
        if (av === apiVersion) kinds.set(`${av}/${gvk.kind}`, name);
      }
    }
  }
  return { definitions, kinds };
}

function readSources() {
  return readFileSync(SOURCES, 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [kubernetes, repository, commit, path, license] = l.split('\t');
      return { kubernetes, repository, commit, path, license };
    });
}

const byKey = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

function build(checkouts) {
  const sources = readSources();
  const pool = [];
  const index = new Map();
  const releases = {};
  for (const s of sources) {
    const checkout = checkouts.get(`${s.repository}@${s.commit}`) ?? checkouts.get(s.repository);
    if (!checkout) throw new Error(`give a checkout of ${s.repository} at ${s.commit} (for ${s.kubernetes})`);
    const { definitions, kinds } = releaseOf(join(checkout, s.path));
    const ids = [];
    for (const name of [...definitions.keys()].sort(byKey)) {
      const key = `${name}\u0000${definitions.get(name)}`;
      if (!index.has(key)) {
        index.set(key, pool.length);
        pool.push([name, JSON.parse(definitions.get(name))]);
      }
      ids.push(index.get(key));
    }
    releases[s.kubernetes] = {
      definitions: ids,
      kinds: Object.fromEntries([...kinds].sort((a, b) => byKey(a[0], b[0]))),
    };
  }
  const json = JSON.stringify({ definitions: pool, releases });
  const store = brotliCompressSync(Buffer.from(json), {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: json.length },
  });
  return { store, json, sources, releases, pool };
}

function manifestOf(json, storeBytes, sources, releases, pool) {
  const kinds = [...new Set(Object.values(releases).flatMap((r) => Object.keys(r.kinds)))].sort(byKey);
  return `${JSON.stringify(
    {
      source:
        "the Kubernetes API's OpenAPI documents of each release: v3 as embedded by kubernetes-sigs/kubectl-validate (pkg/openapiclient/builtins), v2 (swagger.json) as recorded by kubernetes-client/python where kubectl-validate has none yet; per release in releases and SOURCES.tsv",
      license: 'Apache-2.0 (Kubernetes, kubectl-validate, kubernetes-client/python; Copyright The Kubernetes Authors)',
      generator: 'scripts/gen-openapi-bundle.mjs',
      store: 'kubernetes-openapi.json.br',
      storeBytes,
      jsonBytes: Buffer.byteLength(json),
      sha256: createHash('sha256').update(json).digest('hex'),
      distinctDefinitions: pool.length,
      releases: Object.fromEntries(
        sources.map((s) => [
          s.kubernetes,
          {
            repository: s.repository,
            commit: s.commit,
            path: s.path,
            license: s.license,
            definitions: releases[s.kubernetes].definitions.length,
            kinds: Object.keys(releases[s.kubernetes].kinds).length,
          },
        ]),
      ),
      apiVersionKinds: kinds,
    },
    null,
    2,
  )}\n`;
}

if (process.argv.includes('--check')) {
  const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
  const json = brotliDecompressSync(readFileSync(STORE)).toString('utf8');
  const store = JSON.parse(json);
  const expected = manifestOf(json, statSync(STORE).size, readSources(), store.releases, store.definitions);
  if (readFileSync(MANIFEST, 'utf8') !== expected) {
    console.error(`${relative(ROOT, MANIFEST)} does not describe ${relative(ROOT, STORE)}: regenerate both`);
    process.exit(1);
  }
  console.log(
    `openapi store up to date (${Object.keys(manifest.releases).join(', ')}; ${manifest.distinctDefinitions} distinct definitions, ${manifest.storeBytes} bytes)`,
  );
} else {
  const checkouts = new Map(
    process.argv.slice(2).map((a) => {
      const eq = a.indexOf('=');
      if (eq <= 0)
        throw new Error(`usage: node scripts/gen-openapi-bundle.mjs <repository>[@<commit>]=<checkout>..., got ${a}`);
      return [a.slice(0, eq), a.slice(eq + 1)];
    }),
  );
  const { store, json, sources, releases, pool } = build(checkouts);
  writeFileSync(STORE, store);
  writeFileSync(MANIFEST, manifestOf(json, store.length, sources, releases, pool));
  console.log(
    `wrote ${relative(ROOT, STORE)}: ${sources.length} releases, ${pool.length} distinct definitions, ${json.length} bytes of JSON, ${store.length} compressed`,
  );
}
