import { NO_VIOLATIONS } from '../../rule';
import { defineSchemaRule, schemaProblemsOf, schemaViolations } from '../../schema-rule';

export const apiUnknownField = defineSchemaRule({
  id: 'api-unknown-field',
  title: 'Built-in objects must not carry fields their Kubernetes schema does not have',
  remediation:
    'Rename the field to the one the finding suggests, or remove it: kubectl (strict field validation, its default) and the API server refuse an unknown field, and a client that sends it without validation has it silently dropped, so a mistyped securityContext.runAsNonroot leaves the container running as root. Fields of a newer release are unknown to an older one: check --kubernetes-version.',
  check(object, ctx) {
    const { release, problems } = schemaProblemsOf(object, ctx);
    if (!problems || problems.unknown.length === 0) return NO_VIOLATIONS;
    return schemaViolations(problems.unknown, release);
  },
});
