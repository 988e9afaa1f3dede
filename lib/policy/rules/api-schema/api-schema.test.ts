import * as fs from 'fs';
import * as path from 'path';
import { audit } from '../../engine';
import { parseManifestText } from '../../../manifest/manifests';
import { describeRuleFixtures } from '../../../../test/helpers/rule-fixtures';

describeRuleFixtures('api-schema');

const read = (name: string) =>
  parseManifestText(fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8'), name).objects;

describe('api-schema', () => {
  it('names each offending field, what the schema allows and the Kubernetes release', () => {
    const findings = audit(read('fail/wrong-types.yaml'), { only: ['api-schema'] }).findings;
    expect(findings.map((f) => `${f.path}: ${f.message}`)).toEqual([
      'spec.replicas: must be integer (OpenAPI schema of Kubernetes v1.34)',
      'spec.template.spec.containers[0].name: Required value (OpenAPI schema of Kubernetes v1.34)',
      'spec.template.spec.containers[0].imagePullPolicy: must be one of "Always", "IfNotPresent", "Never" (OpenAPI schema of Kubernetes v1.34)',
    ]);
    expect(
      audit(read('fail/missing-required.yaml'), { only: ['schema'] }).findings.map((f) => `${f.path}: ${f.message}`),
    ).toEqual(['rules[0].verbs: Required value (OpenAPI schema of Kubernetes v1.34)']);
  });

  it('is opt-in: a run without --only leaves it out, selecting the group or the id runs it', () => {
    const objects = read('fail/wrong-types.yaml');
    const ids = (only?: string[]) => new Set(audit(objects, { only }).findings.map((f) => f.ruleId));
    expect(ids().has('api-schema')).toBe(false);
    expect(ids(['schema']).has('api-schema')).toBe(true);
    expect(ids(['api-schema']).has('api-schema')).toBe(true);
  });
});
