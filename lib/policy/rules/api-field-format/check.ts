import { apiFieldProblems } from '../../../k8s/api-field-rules';
import { NO_VIOLATIONS } from '../../rule';
import { defineSchemaRule } from '../../schema-rule';

export const apiFieldFormat = defineSchemaRule({
  id: 'api-field-format',
  title: 'Built-in objects must pass the API server’s name and format validation',
  remediation:
    'Fix the value the finding names (object, label, port, container or env var name; annotation size; cron schedule; ingress path; duplicate mount path; int32 range): the API server refuses the object although its schema types are right.',
  check(object) {
    const problems = apiFieldProblems(object);
    if (problems.length === 0) return NO_VIOLATIONS;
    return problems.map((p) => ({ message: p.message, path: p.path }));
  },
});
