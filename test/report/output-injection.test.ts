/* eslint-disable no-control-regex -- the test looks for control characters in the outputs */
import MarkdownIt from 'markdown-it';
import { formatText } from '../../lib/cli/format-text';
import { formatValue } from '../../lib/construct/errors';
import { networkGraphOf } from '../../lib/graph/reachability';
import { renderMermaid } from '../../lib/graph/render-mermaid';
import { renderSvg } from '../../lib/graph/render-svg';
import { parseManifestText } from '../../lib/manifest/manifests';
import { audit, RULES } from '../../lib/policy';
import { renderReportHtml } from '../../lib/report/render-report-html';
import { renderReportMarkdown } from '../../lib/report/render-report-markdown';
import { postureReportOf } from '../../lib/report/report-of-manifests';
import { HardenedDeployment } from '../../lib';
import { errorOf, shopChart } from '../helpers/charts';

// Issue 14, outputs: names, labels, annotations and reasons come from untrusted manifests. Whatever they hold, the
// Markdown report renders no HTML, heading, image or link of theirs; Mermaid labels stay on their line; SVG and HTML
// stay well-formed; the text report writes no control character (terminal escapes) and no extra line.

const DIGEST = `sha256:${'0'.repeat(64)}`;
/** Hostile texts: code-span breakouts, raw HTML, a lone CR starting a heading and a remote image, terminal escapes. */
const HOSTILE = [
  'x`<img src=x onerror=alert(1)>`y',
  'a``<script>alert(1)</script>``b',
  'ok\r# Injected heading\r![beacon](https://evil.example/t.png)',
  'ok\n---\nkind: Pod',
  'ok\u2028## line separator',
  '[click](https://evil.example/) ![i](https://evil.example/i.png)',
  'esc\x1b[2J\x1b]0;pwned\x07 bell\x08',
  'bidi \u202egnp.exe',
];

function podWith(name: string, reason: string): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    `  name: ${JSON.stringify(name)}`,
    '  namespace: shop',
    `  labels: { app: ${JSON.stringify(name)} }`,
    '  annotations:',
    `    exempt.bulwark.dev/workload-probes: ${JSON.stringify(reason)}`,
    'spec:',
    `  containers: [{ name: ${JSON.stringify(name)}, image: "registry.example/x@${DIGEST}" }]`,
  ].join('\n');
}

describe.each(HOSTILE)('hostile text %j', (evil) => {
  const manifests = parseManifestText(podWith(evil, evil), 'evil.yaml');
  const { report } = postureReportOf(manifests);

  it('Markdown report: no HTML, heading, image or link of its own once rendered (CommonMark, markdown-it)', () => {
    const md = renderReportMarkdown(report);
    const html = new MarkdownIt({ html: true, linkify: false }).render(md);
    expect(html).not.toMatch(/<img|<script|href=|<h[1-6]>Injected|<h2>line separator/);
    // Every table row stays one line: the table has as many rows rendered as written.
    const rendered = (html.match(/<tr>/g) ?? []).length;
    const written = md.split('\n').filter((l) => l.startsWith('| ') && !/^\| -/.test(l)).length;
    expect(rendered).toBe(written);
    expect(md).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f\u2028\u2029\u202e]/);
  });

  it('Mermaid: every label on its line, no control characters', () => {
    const mermaid = renderMermaid(networkGraphOf(manifests.objects));
    expect(mermaid).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f\u2028\u2029]/);
    for (const line of mermaid.split('\n')) {
      // A quoted label opens and closes on the same line.
      expect((line.match(/"/g) ?? []).length % 2).toBe(0);
    }
  });

  it('SVG and HTML: well-formed XML text, no raw markup of its own', () => {
    const svg = renderSvg(networkGraphOf(manifests.objects));
    expect(svg).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f]/);
    expect(svg).not.toMatch(/<img|<script/);
    const html = renderReportHtml(report);
    expect(html).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f]/);
    expect(html).not.toMatch(/<img|<script/);
  });

  it('text report: no control character, one line per finding', () => {
    const result = audit(manifests.objects, {}, manifests.sources);
    const text = formatText({ result, inputErrors: [], files: ['evil.yaml'], rules: RULES, failOn: 'error' });
    expect(text).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
    expect(text).not.toMatch(/^# Injected|^---$|^kind: Pod/m);
  });
});

describe('values in error messages are shown as written', () => {
  it('prints NaN, Infinity and -0 as themselves, not null', () => {
    expect(formatValue(NaN)).toBe('NaN');
    expect(formatValue(Infinity)).toBe('Infinity');
    expect(formatValue(-Infinity)).toBe('-Infinity');
    expect(formatValue([1, NaN])).toBe('[1,NaN]');
    expect(formatValue({ port: Infinity })).toBe('{"port":Infinity}');
    expect(formatValue(10n)).toBe('10n');
  });

  it('calls image: 123 a number, not an empty image', () => {
    const { chart } = shopChart();
    expect(
      errorOf(() => new HardenedDeployment(chart, 'api', { image: 123 as unknown as string, port: 8080 })),
    ).toContain("prop 'image' received 123 (not a string)");
  });

  it('names a port of NaN as NaN', () => {
    const { chart } = shopChart();
    expect(
      errorOf(() => new HardenedDeployment(chart, 'api', { image: `ghcr.io/a/b@${DIGEST}`, port: NaN })),
    ).toContain("prop 'port' received NaN");
  });
});
