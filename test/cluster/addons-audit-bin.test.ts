import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { addonExemptionGrants } from '../../lib/cluster/addons/addon-exemptions';
import { readAddonsConfig } from '../../lib/cluster/addons/addons-config';
import { falcoGrantRequests, falcoObjects } from '../../lib/cluster/addons/falco';
import { clusterImagePolicy } from '../../lib/cluster/addons/image-policy';
import { policyControllerGrantRequests, policyControllerObjects } from '../../lib/cluster/addons/policy-controller';
import { kubeBenchGrantRequests, kubeBenchObjects } from '../../lib/cluster/addons/kube-bench';
import type { K8sObject } from '../../lib/k8s/k8s-object';
import { grantSetObject } from '../../lib/policy/exemption-grants';

// The real CLI on the add-ons' rendered manifests: `bulwark audit --exemptions <the add-on's grants>` passes with
// --fail-on warning,ungranted-exemption, every exemption granted, and without the grants it fails naming each request.

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'bulwark.js');
const EXPIRES = new Date(Date.now() + 90 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const APPROVAL = { approver: 'platform-team (PLAT-7)', expires: EXPIRES };
const FALCO_IMAGE = `docker.io/falcosecurity/falco:0.44.1@sha256:${'c'.repeat(64)}`;
const KUBE_BENCH_IMAGE = `docker.io/aquasec/kube-bench:v0.10.1@sha256:${'a'.repeat(64)}`;
const SIGNERS = [{ name: 'ci', issuer: 'https://token.actions.githubusercontent.com', subject: 'https://x/y' }];
const CONFIG = readAddonsConfig(
  {
    'image-policy': { grants: APPROVAL },
    falco: { image: FALCO_IMAGE, grants: APPROVAL },
    'kube-bench': { image: KUBE_BENCH_IMAGE, grants: APPROVAL },
  },
  SIGNERS,
);

function audit(dir: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, 'audit', ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const writeYaml = (file: string, objects: readonly K8sObject[]) =>
  fs.writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));

const rules = (requests: readonly { rule: string }[]) => requests.map((r) => r.rule).sort();
/**
 * name, objects, the rules its grant requests name, and what else is reported without grants: the pods whose
 * ServiceAccount a requesting Role or ClusterRole is bound to hold what that role's (ungranted) request would waive.
 */
const CASES: [string, K8sObject[], string[], string[]][] = [
  ['falco', falcoObjects({ image: FALCO_IMAGE }), rules(falcoGrantRequests()), []],
  ...(['aws', 'gcp', 'azure'] as const).map((cloud): [string, K8sObject[], string[], string[]] => [
    `kube-bench-${cloud}`,
    kubeBenchObjects({ cloud, image: KUBE_BENCH_IMAGE }),
    rules(kubeBenchGrantRequests()),
    [],
  ]),
  [
    'image-policy',
    [...policyControllerObjects(), clusterImagePolicy(CONFIG.imagePolicy!)],
    rules(policyControllerGrantRequests()),
    ['workload-service-account-powers'],
  ],
];

describe.each(CASES)('bulwark audit of the %s add-on (the bin)', (name, objects, requests, derived) => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-addon-audit-'));
    writeYaml(path.join(dir, `${name}.yaml`), objects);
    writeYaml(path.join(dir, 'grants.yaml'), [grantSetObject(addonExemptionGrants(CONFIG))]);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('passes with --exemptions <its grants>, listing each granted exemption with its approver and expiry', () => {
    const text = audit(dir, '--exemptions', 'grants.yaml', '--fail-on', 'warning,ungranted-exemption', `${name}.yaml`);
    expect([text.code, text.stderr]).toEqual([0, '']);
    expect(text.stdout).not.toContain('not granted');
    const r = audit(dir, '--format', 'json', '--exemptions', 'grants.yaml', `${name}.yaml`);
    const json = JSON.parse(r.stdout) as {
      summary: { errors: number; warnings: number; exempted: number; notGranted: number };
      exempted: { ruleId: string; granted: boolean; grant: { approver: string; expires: string } | null }[];
    };
    expect(json.summary).toMatchObject({ errors: 0, warnings: 0, notGranted: 0, exempted: json.exempted.length });
    // One exempted finding per violation (a hostPath rule per volume); the rules are exactly those the add-on asks for.
    expect([...new Set(json.exempted.map((e) => e.ruleId))].sort()).toEqual(requests);
    expect(
      json.exempted.every((e) => e.granted && e.grant?.approver === APPROVAL.approver && e.grant.expires === EXPIRES),
    ).toBe(true);
    expect(text.stdout).toContain(`0 errors, 0 warnings, ${json.exempted.length} exempted`);
  });

  it('without grants every request is a finding and the audit fails (as admission would deny the pods)', () => {
    fs.writeFileSync(path.join(dir, 'none.yaml'), stringify(grantSetObject([])));
    const r = audit(dir, '--format', 'json', '--exemptions', 'none.yaml', `${name}.yaml`);
    const json = JSON.parse(r.stdout) as { summary: { exempted: number }; findings: { ruleId: string }[] };
    expect([...new Set(json.findings.map((f) => f.ruleId))].sort()).toEqual([...requests, ...derived].sort());
    expect(json.summary.exempted).toBe(0);
    expect(r.code).toBe(requests.length > 0 ? 1 : 0);
  });
});
