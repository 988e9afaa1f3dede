import { NO_VIOLATIONS } from '../../rule';
import { defineSchemaRule, schemaProblemsOf, schemaViolations } from '../../schema-rule';

export const apiSchema = defineSchemaRule({
  id: 'api-schema',
  title: 'Built-in objects must be valid against the Kubernetes OpenAPI schema',
  remediation:
    'Fix the field the finding names (its type, format or a missing required field), against the schema of the release you deploy to (--kubernetes-version): the API server refuses the whole object, and a refused NetworkPolicy, PodDisruptionBudget or RBAC binding protects nothing.',
  check(object, ctx) {
    const { release, problems } = schemaProblemsOf(object, ctx);
    if (!problems || problems.invalid.length === 0) return NO_VIOLATIONS;
    return schemaViolations(problems.invalid, release);
  },
});
