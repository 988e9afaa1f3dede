import * as fs from 'fs';
import * as path from 'path';
import { audit } from '../../engine';
import { parseManifestText } from '../../../manifest/manifests';
import { describeRuleFixtures } from '../../../../test/helpers/rule-fixtures';

describeRuleFixtures('workload-env-credentials');

const read = (name: string) =>
  parseManifestText(fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8'), name).objects;
const findings = (name: string) => audit(read(name), { only: ['workload-env-credentials'] }).findings;

describe('workload-env-credentials', () => {
  it('names the variable, the test that fired and the field, never the value', () => {
    expect(findings('fail/grafana-admin-password.yaml').map((f) => [f.message, f.path])).toEqual([
      [
        "container 'grafana' env GF_SECURITY_ADMIN_PASSWORD holds a literal credential (its name says it is a secret and its value is literal; value not shown); read it from a Secret with valueFrom.secretKeyRef",
        'spec.template.spec.containers[0].env[1].value',
      ],
    ]);
    const all = [...findings('fail/known-token-formats.yaml'), ...findings('fail/high-entropy-init-container.yaml')];
    expect(all.map((f) => /credential \((.*); value not shown/.exec(f.message)?.[1])).toEqual([
      'its value has the format of an AWS access key id',
      'its value has the format of credentials in a URL',
      'its value is a long random-looking string (high entropy)',
    ]);
    for (const f of all) {
      expect(f.message).not.toMatch(/AKIAIOSFODNN7EXAMPLE|hunter2secret|q8Zr4LwT2pX9vN6kJ3mB7cY1dF5hG0sA/);
    }
    expect(all[2].path).toBe('spec.template.spec.initContainers[0].env[0].value');
  });

  it('passes references, file paths, expansions, UUIDs, digests, URLs and flags', () => {
    expect(findings('pass/references-and-config.yaml')).toEqual([]);
  });
});
