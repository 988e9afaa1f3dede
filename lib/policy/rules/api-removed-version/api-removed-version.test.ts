import * as fs from 'fs';
import * as path from 'path';
import { apiVersionChange, parseKubernetesVersion } from '../../api-versions';
import { audit } from '../../engine';
import { parseManifestText } from '../../../manifest/manifests';
import { describeRuleFixtures } from '../../../../test/helpers/rule-fixtures';

describeRuleFixtures('api-removed-version');

const read = (name: string) =>
  parseManifestText(fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8'), name).objects;

describe('api-removed-version', () => {
  it('names the release that removed the version, the target and the replacement', () => {
    const findings = audit(read('fail/removed-kinds.yaml'), { only: ['api-removed-version'] }).findings;
    expect(findings.map((f) => f.message)).toEqual([
      'NetworkPolicy extensions/v1beta1 was removed in Kubernetes v1.16 (target v1.37): the API server refuses it; use networking.k8s.io/v1',
      'PodSecurityPolicy policy/v1beta1 was removed in Kubernetes v1.25 (target v1.37): the API server refuses it; use none: Pod Security Admission (namespace labels)',
      'CronJob batch/v1beta1 was removed in Kubernetes v1.25 (target v1.37): the API server refuses it; use batch/v1',
    ]);
    expect(findings.map((f) => f.path)).toEqual(['apiVersion', 'apiVersion', 'apiVersion']);
  });

  it('judges against --kubernetes-version: removed from that release on, not before', () => {
    const cronJob = read('pass/cronjob-beta-on-1.21.yaml');
    const at = (v: string) => audit(cronJob, { only: ['api-removed-version'], kubernetesVersion: v }).findings.length;
    expect([at('v1.24'), at('v1.25'), at('latest')]).toEqual([0, 1, 1]);
  });

  it('refuses a version it does not know', () => {
    expect(() => audit([], { kubernetesVersion: 'v1.99' })).toThrow(
      "invalid Kubernetes version 'v1.99': use vX.Y (v1.16 to v1.37) or latest",
    );
    expect(parseKubernetesVersion('1.29')).toBe(29);
    expect(apiVersionChange('apps/v1', 'Deployment')).toBeUndefined();
    expect(apiVersionChange('v1', 'constructor')).toBeUndefined();
  });
});
