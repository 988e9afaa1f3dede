#!/usr/bin/env node
// Validates Kubernetes manifests against the Kubernetes OpenAPI schema (the schemas kubernetes-models compiles from
// the upstream OpenAPI spec): types, enums and required fields of every built-in kind. Custom resources (CRDs) have no
// schema here and are listed as skipped. Usage: node scripts/openapi-validate.mjs <file|dir>...; exit 1 on any error.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

function files(path) {
  if (statSync(path).isDirectory()) {
    return readdirSync(path)
      .sort()
      .flatMap((f) => files(join(path, f)));
  }
  return /\.(ya?ml|json)$/.test(path) ? [path] : [];
}

const modules = new Map();
async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const spec = group === '' ? `kubernetes-models/${version}` : `kubernetes-models/${group}/${version}`;
  if (!modules.has(spec)) modules.set(spec, await import(spec).catch(() => null));
  return modules.get(spec)?.[kind];
}

let errors = 0;
let valid = 0;
const skipped = new Map();
for (const file of process.argv.slice(2).flatMap(files)) {
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    const obj = doc.toJS();
    if (!obj) continue;
    const Model = await modelFor(obj.apiVersion, obj.kind);
    const ref = `${file}: ${obj.kind} ${obj.metadata?.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata?.name}`;
    if (!Model) {
      skipped.set(`${obj.apiVersion}/${obj.kind}`, (skipped.get(`${obj.apiVersion}/${obj.kind}`) ?? 0) + 1);
      continue;
    }
    try {
      new Model(obj).validate();
      valid++;
    } catch (e) {
      errors++;
      console.error(`${ref}: ${e.message}`);
    }
  }
}
const skippedText = [...skipped].map(([k, n]) => `${k} ×${n}`).join(', ');
console.log(
  `openapi: ${valid} valid, ${errors} invalid${skipped.size ? `, skipped (no schema: CRDs) ${skippedText}` : ''}`,
);
process.exit(errors > 0 ? 1 : 0);
