import { apiFieldProblems } from '../../../k8s/api-field-rules';
import { OPENAPI_KINDS } from '../../../k8s/openapi-schema';
import { defineRule, NO_VIOLATIONS } from '../../rule';

export const apiFieldFormat = defineRule({
  id: 'api-field-format',
  title: 'Built-in objects must pass the API server’s name and format validation',
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
    'Fix the value the finding names (object, label, port, container or env var name; annotation size; cron schedule; ingress path; duplicate mount path; int32 range): the API server refuses the object although its schema types are right.',
  check(object) {
    const problems = apiFieldProblems(object);
    if (problems.length === 0) return NO_VIOLATIONS;
    return problems.map((p) => ({ message: p.message, path: p.path }));
  },
});
