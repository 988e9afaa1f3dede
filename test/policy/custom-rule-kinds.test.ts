import { audit, K8sObject, ObjectRule } from '../../lib/policy';

// An object rule's kinds: a plain kind matches Kubernetes' own API groups only; group/Kind and group/version/Kind
// reach custom resources (rule.ts ObjectRule.kinds).
const rule = (kinds: string[]): ObjectRule => ({
  id: 'team-widget-size',
  title: 'Widgets are small',
  severity: 'error',
  group: 'workload',
  scope: 'object',
  kinds,
  references: { owasp: ['K01'], nsa: ['Pod security'] },
  remediation: 'Make the widget smaller than 10.',
  check: (o) => (((o.spec as { size?: number } | undefined)?.size ?? 0) >= 10 ? [{ message: 'too big' }] : []),
});
const widget = (apiVersion: string): K8sObject => ({
  apiVersion,
  kind: 'Widget',
  metadata: { name: apiVersion.replace(/[./]/g, '-') },
  spec: { size: 12 },
});
const OBJECTS = [
  widget('example.com/v1'),
  widget('example.com/v2beta1'),
  widget('other.example.org/v1'),
  widget('apps/v1'),
];
const judged = (kinds: string[]) =>
  audit(OBJECTS, { only: ['team-widget-size'], customRules: [rule(kinds)] }).findings.map((f) => f.object.apiVersion);

describe('object rules over custom resources', () => {
  it('group/Kind matches every version of that group, group/version/Kind one version', () => {
    expect(judged(['example.com/Widget'])).toEqual(['example.com/v1', 'example.com/v2beta1']);
    expect(judged(['example.com/v2beta1/Widget'])).toEqual(['example.com/v2beta1']);
  });

  it("a plain kind matches Kubernetes' own API groups only, as the catalog's rules", () => {
    expect(judged(['Widget'])).toEqual(['apps/v1']);
  });

  it('judges an object once when several of its names are listed', () => {
    expect(judged(['Widget', 'example.com/Widget', 'example.com/v1/Widget', 'apps/Widget'])).toEqual([
      'example.com/v1',
      'example.com/v2beta1',
      'apps/v1',
    ]);
  });
});
