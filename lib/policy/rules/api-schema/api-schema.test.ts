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
      'spec.replicas: must be integer (OpenAPI schema of Kubernetes v1.36)',
      'spec.template.spec.containers[0].name: Required value (OpenAPI schema of Kubernetes v1.36)',
      'spec.template.spec.containers[0].ports[0].containerPort: must be integer (OpenAPI schema of Kubernetes v1.36)',
    ]);
    expect(
      audit(read('fail/missing-required.yaml'), { only: ['schema'] }).findings.map((f) => `${f.path}: ${f.message}`),
    ).toEqual(['rules[0].verbs: Required value (OpenAPI schema of Kubernetes v1.36)']);
  });

  it('checks against the schemas of --kubernetes-version, and names the release', () => {
    const objects = read('fail/missing-required.yaml');
    for (const [asked, release] of [
      ['v1.23', 'v1.23'],
      ['1.30', 'v1.30'],
      ['v1.34.2', 'v1.34'],
      ['v1.35', 'v1.35'],
      ['latest', 'v1.36'],
    ]) {
      expect(audit(objects, { only: ['api-schema'], kubernetesVersion: asked }).findings.map((f) => f.message)).toEqual(
        [`Required value (OpenAPI schema of Kubernetes ${release})`],
      );
    }
  });

  it('refuses a release it has no schemas of, listing the ones it has', () => {
    const releases = 'v1.23, v1.24, v1.25, v1.26, v1.27, v1.28, v1.29, v1.30, v1.31, v1.32, v1.33, v1.34, v1.35, v1.36';
    for (const [asked, minor] of [
      ['v1.22', '22'],
      ['1.37', '37'],
    ]) {
      expect(() => audit([], { only: ['schema'], kubernetesVersion: asked })).toThrow(
        new RangeError(
          `no OpenAPI schemas of Kubernetes v1.${minor} for the schema rules: bulwark has v1.23 to v1.36 (${releases}); pass one of them with --kubernetes-version, or latest for v1.36`,
        ),
      );
    }
    // Without a schema rule the version is the API version rules' alone.
    expect(() => audit([], { only: ['api'], kubernetesVersion: 'v1.37' })).not.toThrow();
  });

  it('caps the findings of one object and says how many more there are', () => {
    const containers = Array.from({ length: 25 }, () => ({ image: 'x' }));
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers } };
    const messages = audit([pod], { only: ['api-schema'] }).findings.map((f) => f.message);
    expect(messages).toHaveLength(21);
    expect(messages[20]).toBe('5 more in this object (OpenAPI schema of Kubernetes v1.36)');
  });

  it('is opt-in: a run without --only leaves it out, selecting the group or the id runs it', () => {
    const objects = read('fail/wrong-types.yaml');
    const ids = (only?: string[]) => new Set(audit(objects, { only }).findings.map((f) => f.ruleId));
    expect(ids().has('api-schema')).toBe(false);
    expect(ids(['schema']).has('api-schema')).toBe(true);
    expect(ids(['api-schema']).has('api-schema')).toBe(true);
  });
});
