import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { BulwarkAdmissionPolicies } from '../../lib/admission';
import { admissionPolicies } from '../../lib/policy/admission';
import { exemptionGrantObjects } from '../../lib/policy/admission/exemption-grant-objects';
import { loadCustomRules } from '../../lib/policy';

describe('BulwarkAdmissionPolicies', () => {
  it('synthesizes exactly the grant objects (CRD, empty grant set, roles), then the generated policies and bindings', () => {
    const chart = Testing.chart();
    new BulwarkAdmissionPolicies(chart, 'admission', { level: 'baseline', pssVersion: 'v1.30' });
    expect(Testing.synth(chart)).toEqual([
      ...exemptionGrantObjects([]),
      ...admissionPolicies({ level: 'baseline', pssVersion: 'v1.30' }),
    ]);
  });

  it('installs the given grants in the grant set, and refuses a malformed grant naming its field', () => {
    const grant = {
      namespace: 'monitoring',
      kind: 'DaemonSet',
      name: 'node-exporter',
      rule: 'pss-baseline-host-namespaces',
      reason: 'reads host process metrics',
      approver: 'platform-team',
      expires: '2099-01-01T00:00:00Z',
    };
    const chart = Testing.chart();
    new BulwarkAdmissionPolicies(chart, 'admission', { only: ['pss-baseline-privileged'], grants: [grant] });
    const set = Testing.synth(chart).find((o) => o.kind === 'ExemptionGrantSet');
    expect(set.metadata.name).toBe('bulwark');
    expect(set.spec.grants).toEqual([grant]);
    expect(
      () =>
        new BulwarkAdmissionPolicies(Testing.chart(), 'admission', {
          grants: [{ ...grant, reason: '\u200b\u200b', expires: '2099-13-01T00:00:00Z' }],
        }),
    ).toThrow(
      "BulwarkAdmissionPolicies at 'test/admission': invalid exemption grants:\n" +
        '  grants[0].reason: the reason has no visible text (only whitespace, control or format characters): say why the exemption is granted\n' +
        '  grants[0].expires: expected an RFC 3339 date-time with whole seconds such as 2027-01-31T00:00:00Z, got "2099-13-01T00:00:00Z"',
    );
  });

  it("enforces a team's custom pod rules with their cel.ts, and grants exemptions from them", () => {
    const folders = loadCustomRules(['test/fixtures/custom-rules/platform'], path.join(__dirname, '..', '..'));
    const grant = {
      namespace: 'batch',
      kind: 'CronJob',
      name: 'nightly',
      rule: 'platform-no-latest-tag',
      reason: 'the vendor publishes latest only; mirrored nightly',
      approver: 'platform-team (TICKET-77)',
      expires: '2099-01-01T00:00:00Z',
    };
    const chart = Testing.chart();
    new BulwarkAdmissionPolicies(chart, 'admission', {
      only: ['platform-no-latest-tag'],
      customRuleFolders: folders,
      grants: [grant],
    });
    const objects = Testing.synth(chart);
    expect(objects.filter((o) => o.kind.startsWith('ValidatingAdmissionPolicy')).map((o) => o.metadata.name)).toEqual([
      'bulwark-platform-no-latest-tag',
      'bulwark-platform-no-latest-tag',
    ]);
    expect(objects.find((o) => o.kind === 'ExemptionGrantSet').spec.grants).toEqual([grant]);
    // Without the folders, the same grant names no rule bulwark knows.
    expect(() => new BulwarkAdmissionPolicies(Testing.chart(), 'admission', { grants: [grant] })).toThrow(
      "BulwarkAdmissionPolicies at 'test/admission': invalid exemption grants:\n" +
        '  grants[0].rule: expected the id of a catalog rule (docs/rules.md), got "platform-no-latest-tag"',
    );
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
      ['CustomResourceDefinition', 'exemptiongrantsets.bulwark.dev', undefined],
      ['ExemptionGrantSet', 'bulwark', undefined],
      ['ClusterRole', 'bulwark-exemption-grant-editor', undefined],
      ['ClusterRole', 'bulwark-exemption-grant-viewer', undefined],
      ['ValidatingAdmissionPolicy', 'bulwark-pss-baseline-privileged', undefined],
      ['ValidatingAdmissionPolicyBinding', 'bulwark-pss-baseline-privileged', undefined],
    ]);
    expect(synthesized[5].spec.validationActions).toEqual(['Warn', 'Audit']);
    expect(construct.apiObjects.map((o) => o.name)).toEqual([
      'exemptiongrantsets.bulwark.dev',
      'bulwark',
      'bulwark-exemption-grant-editor',
      'bulwark-exemption-grant-viewer',
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
