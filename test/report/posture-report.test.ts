import * as fs from 'fs';
import * as path from 'path';
import { networkGraphOf } from '../../lib/graph/reachability';
import { renderMermaid } from '../../lib/graph/render-mermaid';
import { renderSvg } from '../../lib/graph/render-svg';
import { audit } from '../../lib/policy/engine';
import { parseManifestText } from '../../lib/manifest/manifests';
import { CLUSTER_SCOPE, summaryNamespace } from '../../lib/report/posture-report';
import { renderReportHtml } from '../../lib/report/render-report-html';
import { renderReportMarkdown } from '../../lib/report/render-report-markdown';
import { postureReportOf } from '../../lib/report/report-of-manifests';

const SHOP = 'test/fixtures/graph/shop.yaml';
const manifests = () => parseManifestText(fs.readFileSync(path.join(__dirname, '..', '..', SHOP), 'utf8'), SHOP);

describe('posture report model', () => {
  const m = manifests();
  const { report, result } = postureReportOf(m);
  const expected = audit(m.objects, {}, m.sources);

  it('carries the audit result and the network graph of the same objects', () => {
    expect(result).toEqual(expected);
    expect(report.graph).toEqual(networkGraphOf(m.objects, m.sources));
    const errors = expected.findings.filter((f) => f.severity === 'error').length;
    expect(report.totals).toEqual({
      objects: 10,
      errors,
      warnings: expected.findings.length - errors,
      exempted: 2,
      inputErrors: 0,
      rulesRun: report.totals.rulesRun,
      workloads: 4,
      connections: 9,
      openToAll: 2,
    });
    expect(errors).toBeGreaterThan(0);
  });

  it('groups findings by rule, errors first, then by number of findings; every finding in exactly one section', () => {
    const severities = report.rules.map((r) => r.severity);
    expect(severities).toEqual([...severities].sort((a, b) => (a === b ? 0 : a === 'error' ? -1 : 1)));
    for (let i = 1; i < report.rules.length; i++) {
      const [a, b] = [report.rules[i - 1], report.rules[i]];
      if (a.severity === b.severity) expect(a.findings.length).toBeGreaterThanOrEqual(b.findings.length);
    }
    expect(report.rules.flatMap((r) => r.findings).length).toBe(expected.findings.length);
    for (const r of report.rules) {
      expect(r.findings).toEqual(expected.findings.filter((f) => f.ruleId === r.id));
    }
    expect(report.rules.find((r) => r.id === 'network-workload-isolation')).toMatchObject({
      severity: 'warning',
      findings: [],
      exempted: [{ object: { kind: 'Deployment', namespace: 'shop', name: 'legacy' } }],
    });
  });

  it('lists exemptions with their reasons and sources', () => {
    expect(report.exemptions.map((x) => [x.object.name, x.ruleId, x.reason, x.source])).toEqual([
      [
        'legacy',
        'image-digest',
        'vendor image: tags only, pinned in the mirror (SEC-42)',
        { file: SHOP, line: 51, document: 4 },
      ],
      [
        'legacy',
        'network-workload-isolation',
        'being replaced by api & frontend in Q3',
        { file: SHOP, line: 51, document: 4 },
      ],
    ]);
  });

  it('summarizes per namespace: objects, findings, exemptions, isolation and workloads open to all', () => {
    const count = (ns: string, severity: string) =>
      expected.findings.filter((f) => (f.object.namespace ?? f.object.name) === ns && f.severity === severity).length;
    expect(report.namespaces).toEqual([
      {
        name: 'payments',
        objects: 4,
        workloads: 1,
        errors: count('payments', 'error'),
        warnings: count('payments', 'warning'),
        exempted: 0,
        ingressIsolated: 1,
        egressIsolated: 1,
        openToAll: 0,
      },
      {
        name: 'shop',
        objects: 6,
        workloads: 3,
        errors: count('shop', 'error'),
        warnings: count('shop', 'warning'),
        exempted: 2,
        ingressIsolated: 2,
        egressIsolated: 2,
        openToAll: 2,
      },
    ]);
  });

  it('puts Namespaces under their own name and other cluster-scoped kinds last, under (cluster-scoped)', () => {
    expect(summaryNamespace({ kind: 'Namespace', name: 'shop' })).toBe('shop');
    expect(summaryNamespace({ kind: 'ClusterRoleBinding', name: 'x' })).toBe(CLUSTER_SCOPE);
    expect(summaryNamespace({ kind: 'Deployment', name: 'x' })).toBe('default');
    const { report: r } = postureReportOf(
      parseManifestText(
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b, namespace: zz}\n',
        'in.yaml',
      ),
    );
    expect(r.namespaces.map((n) => [n.name, n.objects])).toEqual([
      ['zz', 1],
      [CLUSTER_SCOPE, 1],
    ]);
  });
});

/** Tags open and close in order (void HTML elements aside). */
function assertBalanced(html: string): void {
  const VOID = new Set(['meta', 'br', 'col', 'path', 'rect']);
  const stack: string[] = [];
  for (const m of html.matchAll(/<(\/?)([a-zA-Z][\w-]*)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = m;
    if (selfClosing || VOID.has(name.toLowerCase())) continue;
    if (!closing) stack.push(name);
    else expect(`${stack.pop()}`).toBe(name);
  }
  expect(stack).toEqual([]);
}

describe('HTML report', () => {
  const { report } = postureReportOf(manifests());
  const html = renderReportHtml(report);

  it('is one self-contained page: inline CSS and SVG, no script, no external resource, well nested', () => {
    expect(html.startsWith('<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">')).toBe(true);
    expect(html).not.toMatch(/<script|<link|src=|href="http|@import|url\((?!#)/);
    expect(html).toContain(renderSvg(report.graph));
    assertBalanced(html);
  });

  it('has the sections in order: findings by rule, exemptions, namespaces, network', () => {
    const order = ['id="findings"', 'id="exemptions"', 'id="namespaces"', 'id="network"'].map((s) => html.indexOf(s));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('shows each exemption with its reason, escaped', () => {
    expect(html).toContain(
      '<tr><td><code>Deployment shop/legacy</code></td><td><code>network-workload-isolation</code></td>' +
        `<td>being replaced by api &amp; frontend in Q3</td><td>no: annotation only</td><td><code>${SHOP}:51</code></td></tr>`,
    );
    expect(html).toContain(
      '<p class="muted">Namespaces the admission policies leave out (nothing there is checked in the cluster): <code>kube-system</code>.</p>',
    );
  });

  it('shows the summary row of each namespace and the reasons a workload is open to all', () => {
    expect(html).toContain('<tr><td><code>payments</code></td><td class="num">4</td><td class="num">1</td>');
    expect(html).toContain('<li>shop/frontend ingress[0] admits ipBlock 0.0.0.0/0 on ports TCP 8443</li>');
    expect(html).toContain('<li>no NetworkPolicy selects it for ingress</li>');
  });

  it('links each rule of the summary table to its section of findings', () => {
    for (const r of report.rules.filter((s) => s.findings.length)) {
      expect(html).toContain(`<a href="#rule-${r.id}">`);
      expect(html).toContain(`<h3 id="rule-${r.id}">`);
    }
  });
});

describe('Markdown report', () => {
  const { report } = postureReportOf(manifests());
  const md = renderReportMarkdown(report);

  it('embeds the network graph as a Mermaid block', () => {
    expect(md).toContain(`\n## Network\n\n\`\`\`mermaid\n${renderMermaid(report.graph)}\`\`\`\n`);
  });

  it('has the exemption, namespace and open-to-all tables', () => {
    expect(md).toContain(
      `| \`Deployment shop/legacy\` | \`network-workload-isolation\` | being replaced by api & frontend in Q3 | no: annotation only | \`${SHOP}:51\` |`,
    );
    expect(md).toContain(
      'Namespaces the admission policies leave out (nothing there is checked in the cluster): `kube-system`.',
    );
    expect(report.admissionExcludedNamespaces).toEqual(['kube-system']);
    expect(md).toContain('| `shop` | 6 | 3 |');
    expect(md).toContain(
      '| `shop/frontend` | shop/frontend ingress\\[0\\] admits ipBlock 0.0.0.0/0 on ports TCP 8443 |',
    );
  });

  it('keeps table cells in one piece: pipes escaped, line breaks and HTML neutralised', () => {
    const m = parseManifestText(
      [
        'apiVersion: v1',
        'kind: Pod',
        'metadata:',
        '  name: p',
        '  namespace: a',
        '  annotations:',
        '    exempt.bulwark.dev/workload-probes: "a | b <b>bold</b>\\nnext"',
        'spec:',
        '  containers: [{ name: c, image: "registry.example/x@sha256:' + '0'.repeat(64) + '" }]',
      ].join('\n'),
      'p.yaml',
    );
    const text = renderReportMarkdown(postureReportOf(m).report);
    expect(text).toContain(
      '| `Pod a/p [c]` | `workload-probes` | a \\| b &lt;b&gt;bold&lt;/b&gt; next | no: annotation only | `p.yaml:1` |',
    );
  });
});
