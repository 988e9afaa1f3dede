/**
 * Writes docs/addons-report.md, the evidence of issue #18 for every add-on on every cloud:
 * 1. the audit of each add-on's rendered objects (synthesized for that cloud) by bulwark's audit engine with the
 *    grants the stack installs for it: objects, findings (none), and every exempted finding with its grant;
 * 2. the `bulwark plan` posture control of each add-on on each example staging stack (eks-staging, gke-staging,
 *    aks-staging) with every add-on switched on, as `bulwark plan` prints it.
 * `npx tsx scripts/gen-addons-report.ts`. test/cluster/addons-report.test.ts fails when part 1 differs from the file,
 * test/cluster/addons-plan.test.ts when part 2 does.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { addonExemptionGrants } from '../lib/cluster/addons/addon-exemptions';
import { readAddonsConfig } from '../lib/cluster/addons/addons-config';
import { falcoObjects } from '../lib/cluster/addons/falco';
import { clusterImagePolicy } from '../lib/cluster/addons/image-policy';
import { kubeBenchObjects } from '../lib/cluster/addons/kube-bench';
import { policyControllerObjects } from '../lib/cluster/addons/policy-controller';
import type { K8sObject } from '../lib/k8s/k8s-object';
import { audit } from '../lib/policy';
import { planStack, StackPlan } from '../lib/cluster/plan/plan-stack';

const ROOT = path.join(__dirname, '..');
export const REPORT = path.join(ROOT, 'docs', 'addons-report.md');
const CLOUDS = ['aws', 'gcp', 'azure'] as const;
const APPROVER = 'platform-team (PLAT-7)';
/** Fixed for a byte-stable report: the approval and the time the audit judges it at. */
const REPORT_EXPIRES = '2027-06-30T00:00:00Z';
const REPORT_NOW = new Date('2026-11-30T00:00:00Z');
const FALCO_IMAGE = `docker.io/falcosecurity/falco:0.44.1@sha256:${'c'.repeat(64)}`;
const KUBE_BENCH_IMAGE = `docker.io/aquasec/kube-bench:v0.10.1@sha256:${'b'.repeat(64)}`;
const SIGNERS = [
  {
    name: 'ci',
    issuer: 'https://token.actions.githubusercontent.com',
    subjectRegExp: '^https://github\\.com/acme/app/\\.github/workflows/release\\.yml@refs/heads/main$',
  },
];
export const PLAN_STACKS: Readonly<Record<(typeof CLOUDS)[number], string>> = {
  aws: 'eks-staging',
  gcp: 'gke-staging',
  azure: 'aks-staging',
};

/** The `bulwark:addons` of the report and of the plans: every add-on on. */
export function reportAddons(expires: string): Record<string, unknown> {
  const grants = { approver: APPROVER, expires };
  return {
    'image-policy': { grants },
    falco: { image: FALCO_IMAGE, grants },
    'kube-bench': { image: KUBE_BENCH_IMAGE, grants },
    'log-shipping': {},
  };
}

/** The stack config lines that switch every add-on on (appended to an example staging stack). */
export function reportStackConfig(expires: string): string {
  const a = reportAddons(expires);
  return [
    '  bulwark:signers:',
    `    - ${JSON.stringify(SIGNERS[0])}`,
    `  bulwark:addons: ${JSON.stringify(a)}`,
    '',
  ].join('\n');
}

/** Markdown as prettier leaves it and as the generator writes it compare equal: table padding and rules ignored. */
export function normalizeMarkdown(text: string): string {
  return text
    .split('\n')
    .map((l) => (l.startsWith('|') ? l.replace(/\s*\|\s*/g, '|').replace(/-{3,}/g, '---') : l.trimEnd()))
    .join('\n')
    .replace(/\n{2,}/g, '\n\n')
    .trim();
}

const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** Part 1: the audit of every add-on's objects on every cloud, with the grants the stack installs. */
export function auditSection(): string {
  const config = readAddonsConfig(reportAddons(REPORT_EXPIRES), SIGNERS, REPORT_NOW);
  const grants = addonExemptionGrants(config);
  const lines: string[] = [
    '## 1. `bulwark audit` of every add-on, with its grants',
    '',
    `Each add-on's objects as the cluster program applies them on that cloud, audited with the grants the stack installs`,
    `for them (approved by \`${APPROVER}\`, expiring ${REPORT_EXPIRES}, judged at ${REPORT_NOW.toISOString()}). A`,
    'finding would be an ungranted violation; every exempted finding names its grant. log-shipping creates no',
    'Kubernetes object (it is the cloud’s managed agent), so it has nothing to audit.',
    '',
    '| cloud | add-on | objects | findings | exempted (granted) |',
    '| ----- | ------ | ------- | -------- | ------------------ |',
  ];
  const details: string[] = [];
  for (const cloud of CLOUDS) {
    const addons: [string, K8sObject[]][] = [
      ['image-policy', [...policyControllerObjects(), clusterImagePolicy(config.imagePolicy!)]],
      ['falco', falcoObjects({ image: FALCO_IMAGE })],
      ['kube-bench', kubeBenchObjects({ cloud, image: KUBE_BENCH_IMAGE })],
    ];
    for (const [name, objects] of addons) {
      const result = audit(objects, { grants, now: REPORT_NOW });
      const granted = result.exempted.filter((e) => e.grant !== undefined);
      lines.push(
        `| ${cloud} | ${name} | ${objects.length} | ${result.findings.length} | ${granted.length} of ${result.exempted.length} |`,
      );
      if (cloud !== 'aws' && name !== 'kube-bench') continue; // the same objects on every cloud: listed once
      // One row per object and rule (a hostPath rule reports each volume): how many findings the grant covers.
      const rows = new Map<string, { count: number; reason: string }>();
      for (const e of result.exempted) {
        const ns = e.object.namespace === undefined ? '' : `${e.object.namespace}/`;
        const key = `| ${e.object.kind} ${ns}${e.object.name} | \`${e.ruleId}\``;
        const row = rows.get(key) ?? { count: 0, reason: e.grant?.reason ?? '(not granted)' };
        rows.set(key, { ...row, count: row.count + 1 });
      }
      details.push(
        '',
        `### ${name}${name === 'kube-bench' ? ` (${cloud})` : ' (every cloud)'}`,
        '',
        '| object | rule | findings | reason (the request and the grant) |',
        '| ------ | ---- | -------- | ---------------------------------- |',
        ...[...rows].map(([key, r]) => `${key} | ${r.count} | ${cell(r.reason)} |`),
        ...result.findings.map((f) => `| ${f.object.kind} ${f.object.name} | \`${f.ruleId}\` | 1 | NOT GRANTED |`),
      );
    }
  }
  return [...lines, ...details, ''].join('\n');
}

/** The lines of the add-on controls of a plan, as `bulwark plan` prints them, the approval's expiry as <expires>. */
export function planSection(cloud: string, plan: StackPlan, expires: string): string {
  const lines = [`### ${cloud}: \`bulwark plan --stack ${plan.stack}\`, the add-on controls`, '', '```text'];
  for (const c of plan.posture.filter((x) => x.id.startsWith('addon-'))) {
    lines.push(`${c.status === 'pass' ? 'PASS' : 'FAIL'}  ${c.id}: ${c.title}`);
    for (const e of c.evidence) {
      const full = (JSON.stringify(e.actual) ?? 'not set').replaceAll(expires, '<expires>');
      const actual = full.length > 160 ? `${full.slice(0, 157)}...` : full;
      lines.push(`  ${e.pass ? 'ok' : 'NO'}  ${e.resource}  ${e.property} = ${actual}`);
    }
  }
  lines.push('```', '');
  return lines.join('\n');
}

const HEADER = `# Add-ons: audit and plan evidence (generated)

Generated by \`scripts/gen-addons-report.ts\`; tests fail when it is stale (docs/supply-chain.md describes the
add-ons).

`;

export const PLAN_HEADING = '## 2. `bulwark plan` of every add-on on every cloud';

async function main(): Promise<void> {
  const parts = [HEADER, auditSection(), '', PLAN_HEADING, ''];
  const expires = REPORT_EXPIRES;
  for (const cloud of CLOUDS) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-addons-report-'));
    try {
      fs.mkdirSync(path.join(dir, 'stacks'));
      const main = path.relative(dir, path.join(ROOT, 'stacks', 'cluster', 'index.ts'));
      fs.writeFileSync(
        path.join(dir, 'Pulumi.yaml'),
        `name: bulwark\nruntime: nodejs\nmain: ${main}\nstackConfigDir: stacks\n`,
      );
      const stack = PLAN_STACKS[cloud];
      const text = fs.readFileSync(path.join(ROOT, 'stacks', `Pulumi.${stack}.yaml`), 'utf8');
      fs.writeFileSync(
        path.join(dir, 'stacks', `Pulumi.${stack}.yaml`),
        `${text.trimEnd()}\n${reportStackConfig(expires)}`,
      );
      parts.push(planSection(cloud, await planStack(stack, { cwd: dir }), expires));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  fs.writeFileSync(REPORT, parts.join('\n').replace(/\n{3,}/g, '\n\n'));
  process.stdout.write(`wrote ${path.relative(ROOT, REPORT)}\n`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${String(e)}\n`);
    process.exitCode = 1;
  });
}
