import { OPENAPI_KINDS, OPENAPI_SCHEMA_SOURCE, openApiProblems } from '../../../k8s/openapi-schema';
import { defineRule, NO_VIOLATIONS } from '../../rule';

/** Findings past this many per object say how many more there are: one broken template should not flood a report. */
const MAX_PER_OBJECT = 20;

export const apiSchema = defineRule({
  id: 'api-schema',
  title: 'Built-in objects must be valid against the Kubernetes OpenAPI schema',
  severity: 'error',
  group: 'schema',
  optIn: true,
  scope: 'object',
  kinds: OPENAPI_KINDS,
  references: {
    nsa: ['Upgrading and application security practices'],
    owasp: ['K10'],
  },
  remediation:
    'Fix the field the finding names (its type, allowed values or a missing required field): the API server refuses the whole object, and a refused NetworkPolicy, PodDisruptionBudget or RBAC binding protects nothing.',
  check(object) {
    const problems = openApiProblems(object);
    if (!problems || problems.length === 0) return NO_VIOLATIONS;
    const shown = problems.slice(0, MAX_PER_OBJECT).map((p) => ({
      message: `${p.message} (OpenAPI schema of Kubernetes ${OPENAPI_SCHEMA_SOURCE.kubernetes})`,
      ...(p.path ? { path: p.path } : {}),
    }));
    if (problems.length > MAX_PER_OBJECT) {
      shown.push({ message: `${problems.length - MAX_PER_OBJECT} more schema errors in this object` });
    }
    return shown;
  },
});
