import { NEWEST_OPENAPI_RELEASE, OPENAPI_KINDS, openApiProblems, OpenApiProblems } from '../k8s/openapi-schema';
import { K8sObject } from '../k8s/k8s-object';
import { ObjectRule, RuleContext, Violation } from './rule';

/** What a schema-group rule says on its own: the rest (group, opt-in, kinds, references) is the group's. */
export interface SchemaRuleSpec {
  readonly id: string;
  readonly title: string;
  readonly remediation: string;
  check(object: K8sObject, ctx: RuleContext): readonly Violation[];
}

/**
 * A rule of the `schema` group: what the API server refuses in built-in kinds. Opt-in (`--only schema`), errors, over
 * every kind that has an OpenAPI schema.
 */
export function defineSchemaRule(spec: SchemaRuleSpec): ObjectRule {
  return {
    ...spec,
    severity: 'error',
    group: 'schema',
    optIn: true,
    scope: 'object',
    kinds: OPENAPI_KINDS,
    references: {
      nsa: ['Upgrading and application security practices'],
      owasp: ['K10'],
    },
  };
}

/** The OpenAPI schema problems of `object` against the release the audit targets (shared by the schema rules). */
export function schemaProblemsOf(
  object: K8sObject,
  ctx: RuleContext,
): { readonly release: string; readonly problems: OpenApiProblems | undefined } {
  const release = ctx.schemaRelease ?? NEWEST_OPENAPI_RELEASE;
  return { release, problems: openApiProblems(object, release) };
}

/** Findings past this many per object say how many more there are: one broken template should not flood a report. */
const MAX_PER_OBJECT = 20;

/** Violations for field problems, each naming the schema's release, capped per object. */
export function schemaViolations(
  problems: readonly { readonly path: string; readonly message: string }[],
  release: string,
): readonly Violation[] {
  const shown: Violation[] = problems.slice(0, MAX_PER_OBJECT).map((p) => ({
    message: `${p.message} (OpenAPI schema of Kubernetes ${release})`,
    ...(p.path ? { path: p.path } : {}),
  }));
  if (problems.length > MAX_PER_OBJECT) {
    shown.push({
      message: `${problems.length - MAX_PER_OBJECT} more in this object (OpenAPI schema of Kubernetes ${release})`,
    });
  }
  return shown;
}
