import { spawnSync } from 'child_process';
import * as path from 'path';

// The real CLI on real files: the self-exempting DaemonSet of issue 13 (kube-system, hostPath /, privileged, hostPID,
// SYS_ADMIN, uid 0, 19 exemption annotations its author wrote) must never pass silently.

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join('bin', 'bulwark.js');
const DIR = 'test/fixtures/exemptions';
const DAEMONSET = `${DIR}/self-exempt-daemonset.yaml`;

function bulwark(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, 'audit', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bulwark audit and exemption grants (the bin)', () => {
  it('without --exemptions lists every annotation-only exemption as not granted, in text, JSON and SARIF', () => {
    const text = bulwark(DAEMONSET);
    expect(text.code).toBe(0);
    // One row per rule (the two pss-restricted-capabilities findings share one), each saying it is not granted.
    const [objectBlock] = text.stdout.split('\n\n');
    const rows = objectBlock.split(/\n(?= {2}\d+ {2}exempted {2})/).slice(1);
    expect(rows.length).toBe(17);
    expect(rows[6]).toBe(
      [
        '  44  exempted  pss-restricted-capabilities',
        '                2 findings (exempted by annotation only, not granted: node agent needs it)',
      ].join('\n'),
    );
    // A row's message wraps over several lines: joined, each ends with the same note.
    const joined = rows.map((r) =>
      r
        .split('\n')
        .map((l) => l.trim())
        .join(' '),
    );
    expect(
      joined.filter((r) => r.endsWith('(exempted by annotation only, not granted: node agent needs it)')),
    ).toHaveLength(17);
    expect(text.stdout).toContain('1 object, 0 errors, 0 warnings, 18 exempted (18 not granted) in 1 file');

    const json = JSON.parse(bulwark('--format', 'json', DAEMONSET).stdout);
    expect(json.summary).toMatchObject({ errors: 0, exempted: 18, notGranted: 18 });
    expect(json.exempted.every((f: { granted: boolean; grant: unknown }) => !f.granted && f.grant === null)).toBe(true);

    const sarif = JSON.parse(bulwark('--format', 'sarif', DAEMONSET).stdout);
    const suppressions = sarif.runs[0].results.map((r: { suppressions?: { status: string }[] }) => r.suppressions);
    expect(suppressions.length).toBe(18);
    expect(suppressions.every((s: { status: string }[]) => s[0].status === 'underReview')).toBe(true);
  });

  it('--fail-on ungranted-exemption fails on them', () => {
    const r = bulwark('--fail-on', 'error,ungranted-exemption', DAEMONSET);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('18 exempted (18 not granted)');
  });

  it('--exemptions reports each ungranted exemption as a finding of its rule, an expired grant as expired, and honours the matching grant', () => {
    const r = bulwark('--format', 'json', '--exemptions', `${DIR}/grants.yaml`, DAEMONSET);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.summary).toMatchObject({ errors: 13, warnings: 4, exempted: 1, notGranted: 0, inputErrors: 0 });
    const byStatus = (status: string) =>
      json.findings.filter((f: { exemption: { status: string } | null }) => f.exemption?.status === status);
    expect(byStatus('not-granted').length).toBe(16);
    expect(byStatus('not-granted')[0].message).toContain(
      '(exemption not granted: no grant in ExemptionGrantSet bulwark for rule ',
    );
    expect(byStatus('expired').map((f: { ruleId: string; message: string }) => [f.ruleId, f.message])).toEqual([
      [
        'pss-baseline-privileged',
        "container 'agent' sets securityContext.privileged=true; allowed: false or unset (exemption not granted: the grant expired on 2020-01-01T00:00:00Z (approved by alice@example.com))",
      ],
    ]);
    expect(
      json.exempted.map((f: { ruleId: string; granted: boolean; grant: { approver: string } }) => [
        f.ruleId,
        f.granted,
        f.grant.approver,
      ]),
    ).toEqual([['image-digest', true, 'bob@example.com']]);
    const text = bulwark('--exemptions', `${DIR}/grants.yaml`, DAEMONSET);
    expect(text.stdout).toContain('1 object, 13 errors, 4 warnings, 1 exempted in 1 file');
  });

  it('refuses a malformed grants file with exit 2, naming each entry and field', () => {
    const r = bulwark('--exemptions', `${DIR}/grants-invalid.yaml`, DAEMONSET);
    expect(r.code).toBe(2);
    const file = `${DIR}/grants-invalid.yaml`;
    expect(r.stderr).toBe(
      [
        `bulwark audit: ${file}: --exemptions: ExemptionGrantSet bulwark: spec.grants[0].name: give exactly one of name (with kind: the workload) and selector (labels of its pods)`,
        `bulwark audit: ${file}: --exemptions: ExemptionGrantSet bulwark: spec.grants[0].kind: expected the kind of the named workload (Deployment, StatefulSet, DaemonSet, CronJob, Job, Pod, ...), got undefined`,
        `bulwark audit: ${file}: --exemptions: ExemptionGrantSet bulwark: spec.grants[0].rule: expected the id of a catalog rule (docs/rules.md), got "pss-baseline-privilegd": did you mean 'pss-baseline-privileged'?`,
        `bulwark audit: ${file}: --exemptions: ExemptionGrantSet bulwark: spec.grants[0].reason: the reason has no visible text (only whitespace, control or format characters): say why the exemption is granted`,
        `bulwark audit: ${file}: --exemptions: ExemptionGrantSet bulwark: spec.grants[0].expires: expected an RFC 3339 date-time with whole seconds such as 2027-01-31T00:00:00Z, got "2027-02-30T00:00:00Z"`,
        '',
      ].join('\n'),
    );
  });

  it('ignores an annotation whose reason is invisible, with or without grants, saying why', () => {
    const r = bulwark('--format', 'json', `${DIR}/invisible-reason-pod.yaml`);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.exempted).toEqual([]);
    const privileged = json.findings.find((f: { ruleId: string }) => f.ruleId === 'pss-baseline-privileged');
    expect(privileged.exemption).toEqual({
      status: 'invalid-reason',
      reason: '\u200b\u200b',
      note: 'exemption annotation exempt.bulwark.dev/pss-baseline-privileged ignored: the reason has no visible text (only whitespace, control or format characters)',
      grant: null,
    });
  });
});
