import * as fs from 'fs';
import * as path from 'path';
import { brotliDecompressSync } from 'zlib';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { closestName } from '../util/closest-name';
import { FieldProblem } from './api-field-rules';
import { K8sObject } from './k8s-object';

/**
 * The Kubernetes OpenAPI schema check of built-in kinds, per Kubernetes release: types, formats, required fields and
 * unknown fields, as the API server's schema has them. The schemas of every release bulwark ships are stored once in
 * schemas/kubernetes-openapi.json.br (a definition shared by several releases is kept once; schemas/SOURCES.tsv and
 * schemas/kubernetes-openapi.json say where they come from; regenerate with scripts/gen-openapi-bundle.mjs). A
 * release's schemas are compiled (ajv) on first use, and only runs that select the schema rules pay for it.
 */

/** The store lives beside lib/ and build/ at the package root: ../../schemas from lib/k8s and build/k8s alike. */
const SCHEMAS_DIR = path.join(__dirname, '..', '..', 'schemas');

interface StoreManifest {
  readonly source: string;
  readonly license: string;
  readonly store: string;
  readonly sha256: string;
  readonly releases: Readonly<Record<string, { readonly commit: string; readonly repository: string }>>;
  readonly apiVersionKinds: readonly string[];
}

export interface Store {
  readonly definitions: readonly (readonly [string, SchemaNode])[];
  readonly releases: Readonly<
    Record<string, { readonly definitions: readonly number[]; readonly kinds: Readonly<Record<string, string>> }>
  >;
}

interface SchemaNode {
  readonly type?: string;
  readonly format?: string;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly items?: SchemaNode;
  readonly additionalProperties?: SchemaNode | boolean;
  readonly required?: readonly string[];
  readonly allOf?: readonly SchemaNode[];
  readonly oneOf?: readonly SchemaNode[];
  readonly anyOf?: readonly SchemaNode[];
  readonly enum?: readonly unknown[];
  readonly $ref?: string;
  readonly 'x-kubernetes-preserve-unknown-fields'?: boolean;
  readonly 'x-kubernetes-int-or-string'?: boolean;
}

const MANIFEST = require(path.join(SCHEMAS_DIR, 'kubernetes-openapi.json')) as StoreManifest;

/** The Kubernetes releases bulwark has schemas of, oldest first (`v1.23` … `v1.35`). */
export const OPENAPI_RELEASES: readonly string[] = Object.keys(MANIFEST.releases).sort(
  (a, b) => Number(a.slice(3)) - Number(b.slice(3)),
);

/** The newest release with schemas: what `--kubernetes-version latest` (the default) checks against. */
export const NEWEST_OPENAPI_RELEASE: string = OPENAPI_RELEASES[OPENAPI_RELEASES.length - 1];

/** Where the schemas come from. */
export const OPENAPI_SCHEMA_SOURCE: { readonly source: string; readonly license: string } = {
  source: MANIFEST.source,
  license: MANIFEST.license,
};

/** Kinds that have a schema in some API version of some release. */
export const OPENAPI_KINDS: readonly string[] = [
  ...new Set(MANIFEST.apiVersionKinds.map((k) => k.slice(k.lastIndexOf('/') + 1))),
];

/** Asked for the schemas of a Kubernetes release bulwark has none of. */
export class OpenApiReleaseError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'OpenApiReleaseError';
  }
}

/**
 * The release whose schemas check manifests meant for Kubernetes minor `minor` (from `--kubernetes-version`);
 * `latest` (minor undefined) is the newest release bulwark has schemas of. Throws a RangeError naming the releases
 * there are (OpenApiReleaseError) when bulwark has none for that minor.
 */
export function openApiReleaseFor(minor: number | undefined): string {
  if (minor === undefined) return NEWEST_OPENAPI_RELEASE;
  const release = `v1.${minor}`;
  if (OPENAPI_RELEASES.includes(release)) return release;
  throw new OpenApiReleaseError(
    `no OpenAPI schemas of Kubernetes ${release} for the schema rules: bulwark has ${OPENAPI_RELEASES[0]} to ${NEWEST_OPENAPI_RELEASE} (${OPENAPI_RELEASES.join(', ')}); pass one of them with --kubernetes-version, or latest for ${NEWEST_OPENAPI_RELEASE}`,
  );
}

/**
 * Reads a schema store (brotli-compressed JSON of shared definitions and releases). A damaged or missing file is an
 * Error naming it and saying what to do.
 */
export function readSchemaStore(file: string): Store {
  let parsed: unknown;
  try {
    parsed = JSON.parse(brotliDecompressSync(fs.readFileSync(file)).toString('utf8'));
  } catch (e) {
    throw new Error(`cannot read the OpenAPI schemas in ${file}: ${(e as Error).message}; reinstall bulwark`);
  }
  const s = parsed as Partial<Store> | null;
  const releases = s?.releases;
  if (
    !s ||
    !Array.isArray(s.definitions) ||
    typeof releases !== 'object' ||
    releases === null ||
    !OPENAPI_RELEASES.every((r) => Array.isArray(releases[r]?.definitions))
  ) {
    throw new Error(
      `cannot read the OpenAPI schemas in ${file}: not the schema store of ${OPENAPI_RELEASES.join(', ')}; reinstall bulwark`,
    );
  }
  return s as Store;
}

let store: Store | undefined;
function loadStore(): Store {
  store ??= readSchemaStore(path.join(SCHEMAS_DIR, MANIFEST.store));
  return store;
}

const DEFINITIONS = '#/definitions/';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

/**
 * One stored schema as JSON Schema for ajv: `$ref`s to `#/definitions/`, every typed value may also be null (Kubernetes
 * reads null as unset), and an object with properties and neither `additionalProperties` nor
 * `x-kubernetes-preserve-unknown-fields` refuses other fields, as the API server's strict field validation does.
 */
function toJsonSchema(s: SchemaNode): Record<string, unknown> {
  if (s.$ref) return { $ref: DEFINITIONS + s.$ref };
  if (s.allOf?.length === 1 && s.allOf[0].$ref && Object.keys(s).length === 1) return toJsonSchema(s.allOf[0]);
  const out: Record<string, unknown> = {};
  const alternatives = s.oneOf ?? s.anyOf;
  // IntOrString: `x-kubernetes-int-or-string`, or before 1.27 `type: string, format: int-or-string` alone (the API
  // server took integers all along: the older documents are less precise, not stricter).
  if (s['x-kubernetes-int-or-string'] || s.format === 'int-or-string') out.type = ['integer', 'string', 'null'];
  else if (alternatives && alternatives.every((a) => a.type && Object.keys(a).length === 1)) {
    out.type = [...alternatives.map((a) => a.type as string), 'null'];
  } else if (alternatives) out.anyOf = [...alternatives.map(toJsonSchema), { type: 'null' }];
  else if (s.type) out.type = [s.type, 'null'];
  if (s.format && s.format !== 'int-or-string') out.format = s.format;
  if (s.enum) out.enum = [...s.enum, null];
  if (s.allOf) out.allOf = s.allOf.map(toJsonSchema);
  if (s.required) out.required = s.required;
  if (s.items) out.items = toJsonSchema(s.items);
  if (s.properties) {
    out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, toJsonSchema(v)]));
  }
  if (typeof s.additionalProperties === 'object') out.additionalProperties = toJsonSchema(s.additionalProperties);
  else if (s.additionalProperties !== undefined) out.additionalProperties = s.additionalProperties;
  else if (s.properties && !s['x-kubernetes-preserve-unknown-fields']) out.additionalProperties = false;
  return out;
}

/** Formats the API server's schema checks (numbers' ranges, base64, RFC 3339 times); others are descriptive only. */
const CHECKED_FORMATS = ['int32', 'int64', 'double', 'float', 'byte', 'date-time'] as const;

interface Release {
  readonly kinds: ReadonlyMap<string, string>;
  readonly validator: (definition: string) => ValidateFunction;
}

const releases = new Map<string, Release>();
function releaseOf(name: string): Release {
  const cached = releases.get(name);
  if (cached) return cached;
  const s = loadStore();
  const r = s.releases[name];
  if (!r) throw new OpenApiReleaseError(openApiReleaseMissing(name));
  const definitions: Record<string, unknown> = {};
  const formats = new Set<string>();
  for (const id of r.definitions) {
    const [defName, schema] = s.definitions[id];
    // A Quantity is a string or a number in every release (resource.Quantity's UnmarshalJSON), though the documents
    // before 1.27 say `type: string` only.
    definitions[defName] = defName === QUANTITY ? { type: ['string', 'number', 'null'] } : toJsonSchema(schema);
  }
  JSON.stringify(definitions, (k, v: unknown) => (k === 'format' && typeof v === 'string' && formats.add(v), v));
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    verbose: true,
    logger: false,
    inlineRefs: false,
    code: { optimize: false },
    validateSchema: false,
  });
  addFormats(ajv, [...CHECKED_FORMATS]);
  for (const f of formats) if (!(CHECKED_FORMATS as readonly string[]).includes(f)) ajv.addFormat(f, true);
  const id = `kubernetes-${name}`;
  ajv.addSchema({ $id: id, definitions });
  const compiled = new Map<string, ValidateFunction>();
  const release: Release = {
    kinds: new Map(Object.entries(r.kinds)),
    validator(definition) {
      let v = compiled.get(definition);
      if (!v) {
        v = ajv.getSchema(`${id}${DEFINITIONS}${definition}`) as ValidateFunction;
        compiled.set(definition, v);
      }
      return v;
    },
  };
  releases.set(name, release);
  return release;
}

function openApiReleaseMissing(name: string): string {
  return `no OpenAPI schemas of Kubernetes ${name}: bulwark has ${OPENAPI_RELEASES.join(', ')}`;
}

/** True when the schemas of `release` know this apiVersion and kind (built-in kinds of served versions). */
export function hasOpenApiSchema(apiVersion: string, kind: string, release: string = NEWEST_OPENAPI_RELEASE): boolean {
  return releaseOf(release).kinds.has(`${apiVersion}/${kind}`);
}

/** `/spec/template/spec/containers/0/image` → `spec.template.spec.containers[0].image`. */
export function fieldPathOf(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => (/^[0-9]+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

const typesOf = (t: unknown): string =>
  (Array.isArray(t) ? t : [t])
    .map(String)
    .filter((x) => x !== 'null')
    .join(' or ');

function join(at: string, field: string): string {
  return at ? `${at}.${field}` : field;
}

/** The fields an object schema knows, for "did you mean" (`parentSchema` of an additionalProperties error). */
function knownFields(e: ErrorObject): string[] {
  const props = (e.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return props ? Object.keys(props) : [];
}

/** The known field an unknown one most likely meant: same letters in another case, or a few edits away. */
export function likelyField(unknown: string, known: readonly string[]): string | undefined {
  const lower = unknown.toLowerCase();
  const sameLetters = known.find((k) => k.toLowerCase() === lower);
  if (sameLetters) return sameLetters;
  return closestName(unknown, known, unknown.length < 4 ? 1 : Math.min(3, Math.max(2, Math.floor(unknown.length / 4))));
}

function describe(e: ErrorObject): { unknown: boolean; problem: FieldProblem } {
  const at = fieldPathOf(e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const field = String(p.additionalProperty);
      const guess = likelyField(field, knownFields(e));
      return {
        unknown: true,
        problem: {
          path: join(at, field),
          message: `unknown field "${field}"${guess ? `, did you mean "${guess}"?` : ''}`,
        },
      };
    }
    case 'required':
      return { unknown: false, problem: { path: join(at, String(p.missingProperty)), message: 'Required value' } };
    case 'type':
      return { unknown: false, problem: { path: at, message: `must be ${typesOf(p.type)}` } };
    case 'enum':
      return {
        unknown: false,
        problem: {
          path: at,
          message: `must be one of ${(p.allowedValues as unknown[])
            .filter((v) => v !== null)
            .map((v) => JSON.stringify(v))
            .join(', ')}`,
        },
      };
    case 'format':
      return { unknown: false, problem: { path: at, message: `must be ${String(p.format)}` } };
    default:
      return { unknown: false, problem: { path: at, message: e.message ?? `fails ${e.keyword}` } };
  }
}

/** What the schema of one release says about one object. */
export interface OpenApiProblems {
  /** Wrong types and formats, missing required fields. */
  readonly invalid: readonly FieldProblem[];
  /** Fields the schema does not have (the API server refuses them under strict field validation, else drops them). */
  readonly unknown: readonly FieldProblem[];
}

const results = new WeakMap<object, Map<string, OpenApiProblems | undefined>>();

/**
 * The schema problems of `obj` against the schemas of `release` (`v1.34`; default the newest), or undefined when that
 * release has no schema for its apiVersion and kind (custom resources, API versions it does not serve: the
 * removed-version rule speaks to those). Cached per object and release: the schema rules share one validation.
 */
export function openApiProblems(obj: K8sObject, release: string = NEWEST_OPENAPI_RELEASE): OpenApiProblems | undefined {
  let byRelease = results.get(obj);
  if (byRelease?.has(release)) return byRelease.get(release);
  const r = releaseOf(release);
  const definition =
    typeof obj.apiVersion === 'string' && typeof obj.kind === 'string'
      ? r.kinds.get(`${obj.apiVersion}/${obj.kind}`)
      : undefined;
  let out: OpenApiProblems | undefined;
  if (definition) {
    const validate = r.validator(definition);
    const invalid: FieldProblem[] = [];
    const unknown: FieldProblem[] = [];
    if (!validate(obj)) {
      const seen = new Set<string>();
      for (const e of validate.errors ?? []) {
        const { unknown: isUnknown, problem } = describe(e);
        const key = `${problem.path}\u0000${problem.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        (isUnknown ? unknown : invalid).push(problem);
      }
    }
    out = { invalid, unknown };
  }
  if (!byRelease) {
    byRelease = new Map();
    results.set(obj, byRelease);
  }
  byRelease.set(release, out);
  return out;
}
