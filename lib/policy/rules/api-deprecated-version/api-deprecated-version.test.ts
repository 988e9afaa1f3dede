import * as fs from 'fs';
import * as path from 'path';
import { audit } from '../../engine';
import { parseManifestText } from '../../../manifest/manifests';
import { describeRuleFixtures } from '../../../../test/helpers/rule-fixtures';

describeRuleFixtures('api-deprecated-version');

const read = (name: string) =>
  parseManifestText(fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8'), name).objects;

describe('api-deprecated-version', () => {
  it('warns between deprecation and removal only', () => {
    const cronJob = read('fail/cronjob-beta-on-1.21.yaml');
    const at = (v: string) =>
      audit(cronJob, { only: ['api-deprecated-version'], kubernetesVersion: v }).findings.map((f) => f.message);
    expect(at('v1.20')).toEqual([]);
    expect(at('v1.21')).toEqual([
      'CronJob batch/v1beta1 is deprecated since Kubernetes v1.21 and removed in v1.25 (target v1.21); use batch/v1',
    ]);
    expect(at('v1.25')).toEqual([]);
  });
});
