#!/usr/bin/env node
// Generates schemas/kubernetes-openapi.json.br: the Kubernetes OpenAPI v3 schemas of the built-in kinds of every
// Kubernetes release in schemas/SOURCES.tsv, stored once: each distinct definition (name and content) is kept once,
// and a release is the list of the definitions it has (most are the same from release to release), brotli-compressed.
// Only what validation needs is kept: types, formats, properties, items, additionalProperties, required, allOf/oneOf,
// $ref, x-kubernetes-preserve-unknown-fields, x-kubernetes-int-or-string and the kinds (descriptions are dropped).
//
// Source: the OpenAPI v3 documents of the built-in API groups that kubernetes-sigs/kubectl-validate embeds for each
// release (pkg/openapiclient/builtins/<release>/, Apache-2.0), at the commit recorded in schemas/SOURCES.tsv.
// Usage: node scripts/gen-openapi-bundle.mjs <builtins dir>   write the store and schemas/kubernetes-openapi.json
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
const PREFIX = '#/components/schemas/';
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
    if (key === '$ref') out.$ref = v.startsWith(PREFIX) ? v.slice(PREFIX.length) : v;
    else if (key === 'properties') {
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

function releaseOf(dir) {
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

function build(builtins) {
  const sources = readSources();
  const pool = [];
  const index = new Map();
  const releases = {};
  for (const s of sources) {
    const { definitions, kinds } = releaseOf(join(builtins, s.kubernetes.slice(1)));
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
        'OpenAPI v3 documents of the built-in API groups embedded by kubernetes-sigs/kubectl-validate (pkg/openapiclient/builtins), generated from the Kubernetes API of each release',
      license: 'Apache-2.0 (kubectl-validate and Kubernetes, Copyright The Kubernetes Authors)',
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
  const builtins = process.argv[2];
  if (!builtins)
    throw new Error('usage: node scripts/gen-openapi-bundle.mjs <kubectl-validate pkg/openapiclient/builtins>');
  const { store, json, sources, releases, pool } = build(builtins);
  writeFileSync(STORE, store);
  writeFileSync(MANIFEST, manifestOf(json, store.length, sources, releases, pool));
  console.log(
    `wrote ${relative(ROOT, STORE)}: ${sources.length} releases, ${pool.length} distinct definitions, ${json.length} bytes of JSON, ${store.length} compressed`,
  );
}
