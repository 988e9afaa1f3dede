import * as fs from 'fs';
import { addonExemptionGrants } from '../../lib/cluster/addons/addon-exemptions';
import { readAddonsConfig } from '../../lib/cluster/addons/addons-config';
import { falcoGrantRequests, falcoObjects } from '../../lib/cluster/addons/falco';
import { kubeBenchGrantRequests, kubeBenchObjects } from '../../lib/cluster/addons/kube-bench';
import { policyControllerGrantRequests, policyControllerObjects } from '../../lib/cluster/addons/policy-controller';
import type { K8sObject } from '../../lib/k8s/k8s-object';
import { audit } from '../../lib/policy';
import { auditSection, normalizeMarkdown, PLAN_HEADING, REPORT, reportAddons } from '../../scripts/gen-addons-report';

describe('docs/addons-report.md (scripts/gen-addons-report.ts)', () => {
  const doc = fs.readFileSync(REPORT, 'utf8');

  it('part 1, the audit of every add-on on every cloud with its grants, is current', () => {
    const start = doc.indexOf('## 1. ');
    const end = doc.indexOf(PLAN_HEADING);
    expect(start).toBeGreaterThan(0);
    expect(normalizeMarkdown(doc.slice(start, end))).toBe(normalizeMarkdown(auditSection()));
  });

  it('shows no finding and only granted exemptions for every add-on on every cloud', () => {
    const rows = auditSection()
      .split('\n')
      .filter((l) => /^\| (aws|gcp|azure) \|/.test(l));
    expect(rows).toHaveLength(9);
    for (const row of rows) {
      const [, , , , findings, exempted] = row.split('|').map((c) => c.trim());
      const [granted, , total] = exempted.split(' ');
      expect([row, findings, granted === total && Number(total) > 0]).toEqual([row, '0', true]);
    }
  });
});

describe("an attacker and the add-ons' grants", () => {
  const EXPIRES = new Date(Date.now() + 90 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const SIGNERS = [{ name: 'ci', issuer: 'https://token.actions.githubusercontent.com', subject: 'https://x/y' }];
  const all = reportAddons(EXPIRES);
  const grants = addonExemptionGrants(readAddonsConfig(all, SIGNERS));
  const objects: [string, K8sObject[]][] = [
    ['image-policy', policyControllerObjects()],
    ['falco', falcoObjects({ image: `docker.io/falcosecurity/falco:0.44.1@sha256:${'c'.repeat(64)}` })],
    [
      'kube-bench',
      kubeBenchObjects({ cloud: 'aws', image: `docker.io/aquasec/kube-bench:v0.10.1@sha256:${'b'.repeat(64)}` }),
    ],
  ];

  it.each(objects)(
    "cannot reuse %s's grants by copying its objects, names and request annotations into a namespace of their own",
    (_name, list) => {
      const namespaces = new Set(list.map((o) => o.metadata?.namespace).filter((n): n is string => n !== undefined));
      const copies = list
        .filter((o) => o.metadata?.namespace !== undefined)
        .map((o) => {
          let text = JSON.stringify(o);
          for (const ns of namespaces) text = text.replaceAll(`"${ns}"`, '"shop"');
          return JSON.parse(text) as K8sObject;
        });
      const result = audit(copies, { grants });
      expect(result.exempted).toEqual([]);
      expect(result.findings.length).toBeGreaterThan(0);
    },
  );

  it('every subset of add-ons switched on installs exactly the grants of those on (one switched off leaves none behind)', () => {
    const names = ['image-policy', 'falco', 'kube-bench', 'log-shipping'] as const;
    const requests = {
      'image-policy': policyControllerGrantRequests().length,
      falco: falcoGrantRequests().length,
      'kube-bench': kubeBenchGrantRequests().length,
      'log-shipping': 0,
    };
    for (let mask = 0; mask < 1 << names.length; mask++) {
      const on = names.filter((_, i) => mask & (1 << i));
      const config = readAddonsConfig(Object.fromEntries(on.map((n) => [n, all[n]])), SIGNERS);
      const installed = addonExemptionGrants(config);
      expect([on, installed.length]).toEqual([on, on.reduce((n, a) => n + requests[a], 0)]);
      const namespaces = new Set(installed.map((g) => g.namespace ?? '(cluster)'));
      expect([on, namespaces.has('cosign-system')]).toEqual([on, on.includes('image-policy')]);
      expect([on, namespaces.has('bulwark-falco')]).toEqual([on, on.includes('falco')]);
      expect([on, namespaces.has('bulwark-kube-bench')]).toEqual([on, on.includes('kube-bench')]);
    }
  });
});
