import * as fs from 'fs';
import * as path from 'path';
import { audit } from '../../engine';
import { parseManifestText } from '../../../manifest/manifests';
import { describeRuleFixtures } from '../../../../test/helpers/rule-fixtures';

describeRuleFixtures('network-egress-isolation');

const read = (name: string) =>
  parseManifestText(fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8'), name).objects;
const findings = (name: string) => audit(read(name), { only: ['network-egress-isolation'] }).findings;

describe('network-egress-isolation', () => {
  it('reports a pod selected only by ingress policies, naming them', () => {
    expect(findings('fail/ingress-only.yaml').map((f) => [f.object.name, f.message, f.path])).toEqual([
      [
        'argocd-server',
        "the NetworkPolicies selecting the pod in namespace 'argocd' ('argocd-server-network-policy') restrict only ingress, so its egress is open to any destination; add a policy with policyTypes Egress",
        'spec.template.metadata.labels',
      ],
    ]);
  });

  it('does not count an egress policy of a removed API version', () => {
    expect(findings('fail/removed-api-egress-policy.yaml').map((f) => f.message)).toEqual([
      "the NetworkPolicies selecting the pod in namespace 'shop' ('ingress') restrict only ingress, so its egress is open to any destination; add a policy with policyTypes Egress",
    ]);
  });

  it.each(['default-deny-both.yaml', 'egress-implied.yaml', 'not-selected.yaml'])('passes %s', (name) => {
    expect(findings(`pass/${name}`)).toEqual([]);
  });
});
