import * as fs from 'fs';
import * as path from 'path';
import { POD_SCOPE, renderRulesDoc, RULES_DOC_PATH } from '../../lib/docs/rules-doc';
import { defineRule, NO_VIOLATIONS, Rule, RULES } from '../../lib/policy';

const podRule = defineRule({
  id: 'zz-pod-rule',
  title: 'A | piped title',
  severity: 'warning',
  group: 'workload',
  scope: 'pod',
  references: { cis: ['5.1.5', '5.1.6'], nsa: ['Pod security: x'], owasp: ['K01'] },
  remediation: 'Do the pod thing on every container.',
  check: () => NO_VIOLATIONS,
});

const objectRule = defineRule({
  id: 'aa-object-rule',
  title: 'An object rule',
  severity: 'error',
  group: 'ingress',
  scope: 'object',
  kinds: ['Ingress', 'Service'],
  references: { nsa: ['Network separation and hardening'], owasp: ['K07', 'K08'] },
  remediation: 'Do the object thing.',
  check: () => NO_VIOLATIONS,
});

const pssRule = defineRule({
  id: 'pss-example',
  title: 'A PSS control',
  severity: 'error',
  group: 'pss',
  scope: 'pod',
  pss: { level: 'restricted' },
  references: { pss: 'restricted: Example', owasp: ['K01'] },
  remediation: 'Follow the restricted profile.',
  check: () => NO_VIOLATIONS,
});

describe('renderRulesDoc', () => {
  const rules: Rule[] = [podRule, objectRule, pssRule];
  const doc = renderRulesDoc(rules);

  it('is deterministic whatever the order of the input', () => {
    expect(renderRulesDoc([...rules].reverse())).toBe(doc);
    expect(doc.endsWith('\n')).toBe(true);
    expect(doc.endsWith('\n\n')).toBe(false);
  });

  it('lists rules in a summary grouped in RULE_GROUPS order, with escaped titles', () => {
    const summary = doc.split('\n').filter((l) => l.startsWith('| [`'));
    expect(summary).toEqual([
      '| [`pss-example`](#pss-example) | pss | error | A PSS control |',
      '| [`zz-pod-rule`](#zz-pod-rule) | workload | warning | A \\| piped title |',
      '| [`aa-object-rule`](#aa-object-rule) | ingress | error | An object rule |',
    ]);
    expect(doc).toContain('3 rules.');
    expect(doc.indexOf('## Pod Security Standards (`pss`)')).toBeLessThan(doc.indexOf('## Workloads (`workload`)'));
    expect(doc.indexOf('## Workloads (`workload`)')).toBeLessThan(doc.indexOf('## Ingress (`ingress`)'));
    expect(doc).not.toContain('## RBAC');
  });

  it('gives a pod rule its scope, references, remediation and exemption', () => {
    const section = doc.slice(doc.indexOf('### `zz-pod-rule`'), doc.indexOf('## Ingress'));
    expect(section).toBe(
      [
        '### `zz-pod-rule`',
        '',
        '| | |',
        '| --- | --- |',
        '| Title | A \\| piped title |',
        '| Severity | warning |',
        `| Scope | ${POD_SCOPE} |`,
        '| References | CIS Kubernetes Benchmark 5.1.5, 5.1.6<br>NSA/CISA Kubernetes Hardening Guide: Pod security: x<br>OWASP Kubernetes Top 10 K01 (Insecure Workload Configurations) |',
        '',
        '**Remediation:** Do the pod thing on every container.',
        '',
        "**Exempt:** annotation `exempt.bulwark.dev/zz-pod-rule: <reason>`, or `exemptions: [{ rule: 'zz-pod-rule', reason: '...' }]` on a construct.",
        '',
        '',
      ].join('\n'),
    );
    expect(POD_SCOPE).toBe(
      'Pods, pod templates of Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, and pod specs found in any other kind',
    );
  });

  it('gives an object rule its kinds, and a PSS rule its level and control', () => {
    expect(doc).toContain('| Scope | Ingress, Service |');
    expect(doc).toContain(
      '| References | NSA/CISA Kubernetes Hardening Guide: Network separation and hardening<br>OWASP Kubernetes Top 10 K07 (Missing Network Segmentation Controls)<br>OWASP Kubernetes Top 10 K08 (Secrets Management Failures) |',
    );
    expect(doc).toContain('| Pod Security level | restricted |');
    expect(doc).toContain('| References | Pod Security Standards: restricted: Example<br>OWASP');
  });
});

describe(`${RULES_DOC_PATH}`, () => {
  it('is up to date with the catalog (fix: npm run docs)', () => {
    const file = path.join(__dirname, '..', '..', RULES_DOC_PATH);
    const onDisk = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    expect(onDisk).toBe(renderRulesDoc(RULES));
  });

  it('documents every rule of the catalog', () => {
    const doc = renderRulesDoc(RULES);
    for (const r of RULES) expect(doc).toContain(`### \`${r.id}\``);
  });
});
