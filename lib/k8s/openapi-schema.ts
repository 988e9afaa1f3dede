import * as path from 'path';
import { FieldProblem } from './api-field-rules';
import { K8sObject } from './k8s-object';

/**
 * The Kubernetes OpenAPI schema check of built-in kinds: types, enums, formats and required fields, as the API
 * server's schema has them. The validators are generated into schemas/kubernetes-openapi.js (see
 * schemas/kubernetes-openapi.json for the source, the Kubernetes release and the digest; regenerate with
 * `node scripts/gen-openapi-bundle.mjs`). They are loaded on first use: the bundle is 2.5 MB of JavaScript, and only
 * runs that select the schema rules pay for it.
 */
interface AjvError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Record<string, unknown>;
  readonly message?: string;
}
type Validator = ((data: unknown) => boolean) & { errors?: AjvError[] | null };

/** The bundle lives beside lib/ and build/ at the package root: ../../schemas from lib/k8s and build/k8s alike. */
const SCHEMAS_DIR = path.join(__dirname, '..', '..', 'schemas');

interface BundleManifest {
  readonly source: string;
  readonly kubernetes: string;
  readonly apiVersionKinds: readonly string[];
}

const MANIFEST = require(path.join(SCHEMAS_DIR, 'kubernetes-openapi.json')) as BundleManifest;

/** The Kubernetes release the schemas are of, e.g. `v1.34`, and where they come from. */
export const OPENAPI_SCHEMA_SOURCE: { readonly kubernetes: string; readonly source: string } = {
  kubernetes: MANIFEST.kubernetes,
  source: MANIFEST.source,
};

const KEYS: ReadonlySet<string> = new Set(MANIFEST.apiVersionKinds);

/** Kinds that have a schema in some API version. */
export const OPENAPI_KINDS: readonly string[] = [
  ...new Set(MANIFEST.apiVersionKinds.map((k) => k.slice(k.lastIndexOf('/') + 1))),
];

let validators: Readonly<Record<string, Validator>> | undefined;
function validatorOf(apiVersion: string, kind: string): Validator | undefined {
  const key = `${apiVersion}/${kind}`;
  if (!KEYS.has(key)) return undefined;
  validators ??= (require(path.join(SCHEMAS_DIR, 'kubernetes-openapi.js')) as { VALIDATORS: Record<string, Validator> })
    .VALIDATORS;
  return validators[key];
}

/** True when the schemas know this apiVersion and kind (built-in kinds of served versions). */
export function hasOpenApiSchema(apiVersion: string, kind: string): boolean {
  return KEYS.has(`${apiVersion}/${kind}`);
}

/** `/spec/template/spec/containers/0/image` → `spec.template.spec.containers[0].image`. */
export function fieldPathOf(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => (/^[0-9]+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

function describe(e: AjvError): FieldProblem {
  const at = fieldPathOf(e.instancePath);
  const p = e.params;
  switch (e.keyword) {
    case 'required':
      return {
        path: at ? `${at}.${String(p.missingProperty)}` : String(p.missingProperty),
        message: 'Required value',
      };
    case 'type':
      return { path: at, message: `must be ${String(p.type)}` };
    case 'enum':
      return {
        path: at,
        message: `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'format':
      return { path: at, message: `must be ${String(p.format)}` };
    default:
      return { path: at, message: e.message ?? `fails ${e.keyword} ${JSON.stringify(p)}` };
  }
}

/**
 * The schema problems of `obj`, or undefined when there is no schema for its apiVersion and kind (custom resources,
 * API versions the schemas do not serve: the removed-version rule speaks to those).
 */
export function openApiProblems(obj: K8sObject): FieldProblem[] | undefined {
  const validate =
    typeof obj.apiVersion === 'string' && typeof obj.kind === 'string' && validatorOf(obj.apiVersion, obj.kind);
  if (!validate) return undefined;
  if (validate(obj)) return [];
  const seen = new Set<string>();
  const out: FieldProblem[] = [];
  for (const e of validate.errors ?? []) {
    const problem = describe(e);
    const key = `${problem.path}\u0000${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(problem);
  }
  return out;
}
