/* eslint-disable no-control-regex -- the test looks for control characters in the outputs */
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { formatJson } from '../../lib/cli/format-json';
import { formatSarif } from '../../lib/cli/format-sarif';
import { formatText } from '../../lib/cli/format-text';
import { networkGraphOf } from '../../lib/graph/reachability';
import { renderMermaid } from '../../lib/graph/render-mermaid';
import { renderSvg } from '../../lib/graph/render-svg';
import { parseManifestText } from '../../lib/manifest/manifests';
import { audit, RULES } from '../../lib/policy';
import { renderReportHtml } from '../../lib/report/render-report-html';
import { renderReportMarkdown } from '../../lib/report/render-report-markdown';
import { postureReportOf } from '../../lib/report/report-of-manifests';
import { sarifSchemaErrors } from '../helpers/sarif-schema';

/**
 * Issue 14, outputs, as a property: an object name, label value, annotation and exemption reason made of any mix of
 * hostile pieces (YAML document markers, backticks, CR and line breaks, HTML, Mermaid syntax, Markdown, terminal
 * escapes, bidi controls) leaves every writer safe: Markdown, Mermaid, SVG, HTML, SARIF, JSON and text.
 */
const PIECES = [
  '---',
  '...',
  '`',
  '``',
  '\r',
  '\n',
  '\r\n',
  '\u2028',
  '\u0085',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  ']]>',
  '<!--',
  '&amp;',
  'A-->B',
  '"]',
  '["',
  '%%{init: {"theme":"dark"}}%%',
  'click A call evil()',
  'end',
  '# Injected',
  '![i](https://evil.example/i.png)',
  '[l](https://evil.example/)',
  '|',
  '\x1b[2J',
  '\x07',
  '\u202e',
  'x',
  ' ',
];
const hostile = fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 6 }).map((p) => p.join(''));
const DIGEST = `sha256:${'0'.repeat(64)}`;

/** JSON text (which YAML reads too) with U+2028/U+2029/U+0085 escaped, as JSON.stringify leaves them raw. */
const json = (v: unknown) =>
  JSON.stringify(v).replace(/[\u2028\u2029\u0085]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

function manifestsOf(evil: string) {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: evil,
      namespace: 'shop',
      labels: { app: evil },
      annotations: { 'exempt.bulwark.dev/workload-probes': evil, note: evil },
    },
    spec: { containers: [{ name: evil, image: `registry.example/x@${DIGEST}` }] },
  };
  const policy = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: evil, namespace: 'shop' },
    spec: {
      podSelector: { matchLabels: { app: evil } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: evil } } }] }],
    },
  };
  return parseManifestText(`${json(pod)}\n---\n${json(policy)}\n`, 'evil.yaml');
}

const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('every writer is safe for any hostile name, label, annotation and reason (property)', () => {
  it('Markdown, Mermaid, SVG, HTML, SARIF, JSON and text', () => {
    const md = new MarkdownIt({ html: true, linkify: false });
    fc.assert(
      fc.property(hostile, (evil) => {
        const manifests = manifestsOf(evil);
        expect(manifests.errors).toEqual([]);
        expect(manifests.objects.map((o) => o.metadata?.name)).toEqual([evil, evil]);
        const { report } = postureReportOf(manifests);

        const markdown = renderReportMarkdown(report);
        expect(markdown).not.toMatch(CONTROL);
        const rendered = md.render(markdown);
        expect(rendered).not.toMatch(/<script|<img|href="https:\/\/evil|<h[1-6]>Injected/);
        const rows = markdown.split('\n').filter((l) => l.startsWith('| ') && !/^\| -/.test(l)).length;
        expect((rendered.match(/<tr>/g) ?? []).length).toBe(rows);

        const graph = networkGraphOf(manifests.objects);
        const mermaid = renderMermaid(graph);
        expect(mermaid).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f\u2028\u2029\u0085]/);
        for (const line of mermaid.split('\n')) {
          expect((line.match(/"/g) ?? []).length % 2).toBe(0);
          expect(line).not.toMatch(/^\s*(click|%%\{)/);
        }

        for (const xml of [renderSvg(graph), renderReportHtml(report)]) {
          expect(xml).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f]/);
          expect(xml).not.toMatch(/<script>alert|<img src=x|<!--(?!\s)|\]\]>/);
        }

        const result = audit(manifests.objects, {}, manifests.sources);
        const auditReport = { result, inputErrors: [], files: ['evil.yaml'], rules: RULES, failOn: 'error' as const };
        const sarif = JSON.parse(formatSarif(auditReport)) as unknown;
        expect(sarifSchemaErrors(sarif)).toEqual([]);
        // JSON keeps the value exactly as written (the reader decides how to show it).
        const asJson = JSON.parse(formatJson(auditReport)) as { findings: { object: { name: string } }[] };
        expect(asJson.findings.every((f) => f.object.name === evil)).toBe(true);

        const text = formatText(auditReport);
        expect(text).not.toMatch(CONTROL);
        expect(text).not.toMatch(/^(---|\.\.\.|# Injected|kind: )/m);
      }),
      { numRuns: 60 },
    );
  });
});
