import { Chart, Testing } from 'cdk8s';
import { BulwarkAdmissionPolicies } from '../../lib/admission';
import { admissionPolicies } from '../../lib/policy/admission';

describe('BulwarkAdmissionPolicies', () => {
  it('synthesizes exactly the generated policies and bindings', () => {
    const chart = Testing.chart();
    new BulwarkAdmissionPolicies(chart, 'admission', { level: 'baseline', pssVersion: 'v1.30' });
    expect(Testing.synth(chart)).toEqual(admissionPolicies({ level: 'baseline', pssVersion: 'v1.30' }));
  });

  it('keeps cluster-scoped objects out of a chart namespace', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const construct = new BulwarkAdmissionPolicies(chart, 'admission', {
      only: ['pss-baseline-privileged'],
      validationActions: ['Warn', 'Audit'],
    });
    const synthesized = Testing.synth(chart);
    expect(synthesized.map((o) => [o.kind, o.metadata.name, o.metadata.namespace])).toEqual([
      ['ValidatingAdmissionPolicy', 'bulwark-pss-baseline-privileged', undefined],
      ['ValidatingAdmissionPolicyBinding', 'bulwark-pss-baseline-privileged', undefined],
    ]);
    expect(synthesized[1].spec.validationActions).toEqual(['Warn', 'Audit']);
    expect(construct.apiObjects.map((o) => o.name)).toEqual([
      'bulwark-pss-baseline-privileged',
      'bulwark-pss-baseline-privileged',
    ]);
  });

  it('refuses bad props at construction, naming the option', () => {
    expect(() => new BulwarkAdmissionPolicies(Testing.chart(), 'admission', { pssVersion: 'latest-ish' })).toThrow(
      "admission policies: invalid pssVersion 'latest-ish': use vX.Y (v1.0 to v1.37) or latest",
    );
  });
});
