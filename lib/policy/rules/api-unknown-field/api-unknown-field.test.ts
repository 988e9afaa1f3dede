import * as fs from 'fs';
import * as path from 'path';
import { audit } from '../../engine';
import { parseManifestText } from '../../../manifest/manifests';
import { describeRuleFixtures } from '../../../../test/helpers/rule-fixtures';

describeRuleFixtures('api-unknown-field');

const read = (name: string) =>
  parseManifestText(fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8'), name).objects;
const messages = (name: string, kubernetesVersion?: string) =>
  audit(read(name), { only: ['api-unknown-field'], ...(kubernetesVersion ? { kubernetesVersion } : {}) }).findings.map(
    (f) => `${f.path}: ${f.message}`,
  );

describe('api-unknown-field', () => {
  it('names the unknown field at its path and the field it most likely meant', () => {
    expect(messages('fail/typo.yaml')).toEqual([
      'metadata.lables: unknown field "lables", did you mean "labels"? (OpenAPI schema of Kubernetes v1.36)',
      'spec.template.spec.securityContext.runAsNonroot: unknown field "runAsNonroot", did you mean "runAsNonRoot"? (OpenAPI schema of Kubernetes v1.36)',
    ]);
  });

  it('knows the fields of each release: Pod.spec.hostnameOverride is new in 1.34', () => {
    const pod = 'fail/field-of-a-newer-release.yaml';
    expect(messages(pod, 'v1.33')).toEqual([
      'spec.hostnameOverride: unknown field "hostnameOverride" (OpenAPI schema of Kubernetes v1.33)',
    ]);
    expect(messages(pod, 'v1.34')).toEqual([]);
    expect(messages(pod, 'v1.35')).toEqual([]);
  });

  it('knows the fields of each release: NetworkPolicy.status was removed in 1.28', () => {
    const policy = 'fail/status-after-removal.yaml';
    expect(messages(policy, 'v1.27')).toEqual([]);
    expect(messages(policy, 'v1.28')).toEqual(['status: unknown field "status" (OpenAPI schema of Kubernetes v1.28)']);
  });

  it('knows the fields of v1.36 (from its swagger.json): Pod.spec.workloadRef of 1.35 became schedulingGroup', () => {
    const pod = (spec: Record<string, unknown>) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'c', image: 'x' }], ...spec },
    });
    const unknown = (spec: Record<string, unknown>, kubernetesVersion: string) =>
      audit([pod(spec)], { only: ['api-unknown-field'], kubernetesVersion }).findings.map((f) => f.path);
    expect(unknown({ workloadRef: { name: 'w' } }, 'v1.35')).toEqual([]);
    expect(unknown({ workloadRef: { name: 'w' } }, 'v1.36')).toEqual(['spec.workloadRef']);
    expect(unknown({ schedulingGroup: {} }, 'v1.35')).toEqual(['spec.schedulingGroup']);
    expect(unknown({ schedulingGroup: {} }, 'v1.36')).toEqual([]);
  });

  it('leaves open what the schema leaves open: custom resources, preserved unknown fields, free-form maps', () => {
    expect(messages('pass/known-fields.yaml')).toEqual([]);
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { anyKey: 'v' } };
    expect(audit([configMap], { only: ['api-unknown-field'] }).findings).toEqual([]);
  });

  it('is opt-in, in the schema group', () => {
    const objects = read('fail/typo.yaml');
    expect(audit(objects).findings.filter((f) => f.ruleId === 'api-unknown-field')).toEqual([]);
    expect(audit(objects, { only: ['schema'] }).findings.filter((f) => f.ruleId === 'api-unknown-field')).toHaveLength(
      2,
    );
  });
});
