import * as fs from 'fs';
import * as path from 'path';
import { audit } from '../../engine';
import { parseManifestText } from '../../../manifest/manifests';
import { describeRuleFixtures } from '../../../../test/helpers/rule-fixtures';

describeRuleFixtures('configmap-credentials');

const read = (name: string) =>
  parseManifestText(fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8'), name).objects;
const findings = (name: string) => audit(read(name), { only: ['configmap-credentials'] }).findings;

describe('configmap-credentials', () => {
  it('finds the password line of a config file and a secret-named key, without their values', () => {
    expect(findings('fail/grafana-ini.yaml').map((f) => [f.message, f.path])).toEqual([
      [
        "ConfigMap key 'grafana.ini' holds a literal credential (line 5 (admin_password): its name says it is a secret and its value is literal; value not shown); move it to a Secret",
        'data.grafana.ini',
      ],
      [
        "ConfigMap key 'smtp.password' holds a literal credential (its name says it is a secret and its value is literal; value not shown); move it to a Secret",
        'data.smtp.password',
      ],
    ]);
  });

  it('finds a private key by its PEM header', () => {
    expect(findings('fail/private-key.yaml').map((f) => f.message)).toEqual([
      "ConfigMap key 'signing.pem' holds a literal credential (its value has the format of a private key (PEM); value not shown); move it to a Secret",
    ]);
  });

  it('passes certificates, known hosts, $references and settings that name Secrets', () => {
    expect(findings('pass/plain-config.yaml')).toEqual([]);
  });
});
