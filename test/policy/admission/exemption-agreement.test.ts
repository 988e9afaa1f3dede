import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { formatObjectRef, K8sObject, objectRef } from '../../../lib/k8s/k8s-object';
import { emptyManifests, parseManifestText } from '../../../lib/manifest/manifests';
import { admissionPolicies } from '../../../lib/policy/admission';
import { exemptionGrantObjects } from '../../../lib/policy/admission/exemption-grant-objects';
import { grantsOfObjects } from '../../../lib/policy/exemption-grants';
import { compilePolicies } from './vap-evaluator';

/**
 * One set of fixtures, two enforcement points: `bulwark audit --exemptions` (the real bin) and the generated admission
 * policies on the CEL engine, each object submitted by its author (no controller identity), with the same grants as
 * the policies' parameter. For every object, the enforced rules that deny it at admission are exactly the rules the
 * audit reports as findings (not exempted). The third point, synth, refuses invalid requests before they are written
 * (test/construct/bad-input.test.ts) and writes the valid ones as grant requests (lib/policy/grant-requests.ts).
 */

const ROOT = path.join(__dirname, '..', '..', '..');
const DIR = 'test/fixtures/exemptions/agree';
const GRANTS = 'test/fixtures/exemptions/agree-grants.yaml';

function read(file: string): K8sObject[] {
  const into = emptyManifests();
  parseManifestText(fs.readFileSync(path.join(ROOT, file), 'utf8'), file, into);
  expect(into.errors).toEqual([]);
  return into.objects;
}

describe('audit --exemptions and admission agree on the exemption fixtures', () => {
  const files = fs.readdirSync(path.join(ROOT, DIR)).filter((f) => f.endsWith('.yaml'));
  const objects = files.flatMap((f) => read(`${DIR}/${f}`));
  const { grants, problems } = grantsOfObjects(read(GRANTS));
  const policies = compilePolicies(admissionPolicies(), exemptionGrantObjects(grants));
  const enforced = new Set(policies.map((p) => p.name.replace(/^bulwark-/, '')));
  const run = spawnSync(
    process.execPath,
    [path.join('bin', 'bulwark.js'), 'audit', '--format', 'json', '--exemptions', GRANTS, DIR],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
  );
  const report = JSON.parse(run.stdout) as {
    findings: { ruleId: string; object: { kind: string; namespace?: string; name: string } }[];
    exempted: { ruleId: string; object: { kind: string; namespace?: string; name: string } }[];
  };
  const byObject = (list: typeof report.findings) => {
    const out = new Map<string, string[]>();
    for (const f of list) {
      if (!enforced.has(f.ruleId)) continue;
      const key = formatObjectRef({ apiVersion: '', ...f.object });
      out.set(key, [...new Set([...(out.get(key) ?? []), f.ruleId])].sort());
    }
    return out;
  };
  const audited = byObject(report.findings);
  const exempted = byObject(report.exempted);

  it('reads the fixtures and grants', () => {
    expect(problems).toEqual([]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    expect(files.length).toBeGreaterThanOrEqual(7);
  });

  const rows = objects.map((o) => [formatObjectRef(objectRef(o)), o] as const);
  it.each(rows)('%s', (ref, object) => {
    const denying = policies
      .map((p) => ({ rule: p.name.replace(/^bulwark-/, ''), ...p.evaluate({ object, now: new Date() }) }))
      .filter((o) => o.denied)
      .map((o) => o.rule)
      .sort();
    expect(denying).toEqual(audited.get(ref) ?? []);
  });

  it('decides each attack as expected', () => {
    const rules = (ref: string) => audited.get(ref) ?? [];
    // Granted by name and by selector.
    expect(exempted.get('DaemonSet monitoring/node-exporter')).toEqual([
      'pss-baseline-host-namespaces',
      'pss-baseline-host-path-volumes',
    ]);
    expect(exempted.get('Deployment shop/status-page')).toEqual(['pss-restricted-seccomp']);
    // Not granted: self-exemption, expired grant, another namespace, same name of another kind, forged owner,
    // invisible reason.
    expect(rules('Pod shop/debug')).toContain('pss-baseline-privileged');
    expect(rules('Deployment shop/legacy-api')).toContain('pss-restricted-run-as-non-root');
    expect(rules('Deployment blog/status-page')).toContain('pss-restricted-seccomp');
    expect(rules('Pod monitoring/node-exporter')).toContain('pss-baseline-host-namespaces');
    expect(rules('CronJob monitoring/node-exporter')).toContain('pss-baseline-host-namespaces');
    expect(rules('Pod monitoring/node-exporter-x2x9q')).toContain('pss-baseline-host-namespaces');
    expect(rules('Pod shop/status-page-canary')).toContain('pss-restricted-seccomp');
    expect(exempted.size).toBe(2);
  });
});
