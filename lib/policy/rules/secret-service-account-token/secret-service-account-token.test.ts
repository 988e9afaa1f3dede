import * as fs from 'fs';
import * as path from 'path';
import { audit } from '../../engine';
import { parseManifestText } from '../../../manifest/manifests';
import { describeRuleFixtures } from '../../../../test/helpers/rule-fixtures';

describeRuleFixtures('secret-service-account-token');

const read = (name: string) =>
  parseManifestText(fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8'), name).objects;
const findings = (name: string) => audit(read(name), { only: ['secret-service-account-token'] }).findings;

describe('secret-service-account-token', () => {
  it('reports a token Secret, naming its ServiceAccount', () => {
    expect(findings('fail/legacy-token.yaml').map((f) => [f.message, f.path])).toEqual([
      [
        "Secret of type kubernetes.io/service-account-token asks the token controller for a token of ServiceAccount 'ci-deployer' that never expires and is not bound to a pod; use TokenRequest (projected) tokens instead",
        'type',
      ],
    ]);
  });

  it('passes Secrets of other types', () => {
    expect(findings('pass/other-types.yaml')).toEqual([]);
  });
});
