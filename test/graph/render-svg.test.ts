import * as fs from 'fs';
import * as path from 'path';
import { networkGraphOf } from '../../lib/graph/reachability';
import { renderSvg } from '../../lib/graph/render-svg';
import { adjacencyHtml, renderGraphHtml } from '../../lib/graph/render-html';
import { deployment, networkPolicy, SMALL_CASE } from '../helpers/graph-objects';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'graph');

/** Tags open and close in order (a small well-formedness check: no parser in the dependencies). */
function assertBalanced(xml: string): void {
  const stack: string[] = [];
  for (const m of xml.matchAll(/<(\/?)([a-zA-Z][\w-]*)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = m;
    if (selfClosing) continue;
    if (!closing) stack.push(name);
    else expect(stack.pop()).toBe(name);
  }
  expect(stack).toEqual([]);
}

describe('renderSvg', () => {
  it('renders the small case to exactly the reviewed SVG (test/fixtures/graph/small.svg)', () => {
    expect(renderSvg(networkGraphOf(SMALL_CASE))).toBe(fs.readFileSync(path.join(FIXTURES, 'small.svg'), 'utf8'));
  });

  it('is deterministic and independent of the input order', () => {
    const svg = renderSvg(networkGraphOf(SMALL_CASE));
    expect(renderSvg(networkGraphOf([...SMALL_CASE].reverse()))).toBe(svg);
  });

  it('is self-contained: one well-formed svg element, no script, no link, no external reference', () => {
    const svg = renderSvg(networkGraphOf(SMALL_CASE));
    assertBalanced(svg);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" ')).toBe(true);
    expect(svg).not.toMatch(/<script|href=|url\((?!#)|@import|<image/);
  });

  it('groups workloads by namespace and draws one arrowed path and one port label per connection', () => {
    const graph = networkGraphOf(SMALL_CASE);
    const svg = renderSvg(graph);
    const boxTitles = [...svg.matchAll(/<text class="bw-box-title"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(boxTitles).toEqual(['namespace back', 'namespace front']);
    const edges = [
      ...svg.matchAll(
        /<g class="bw-edge[^"]*" data-edge="\d+"><title>([^<]*)<\/title><path d="[^"]+" marker-end="url\(#bw-arrow-[a-z-]+\)"\/><\/g>/g,
      ),
    ];
    expect(edges.map((m) => m[1].split('\n')[0])).toEqual([
      'back/api → front/web: any',
      'back/api → anywhere: any',
      'front/web → back/api: TCP 8080',
      'front/web → any other namespace: app=api: any',
      'anywhere → front/web: any',
    ]);
    const labels = [
      ...svg.matchAll(/<g class="bw-label" data-edge="\d+"><title>[^<]*<\/title>.*?<text[^>]*>([^<]*)<\/text><\/g>/g),
    ].map((m) => m[1]);
    expect(labels.sort()).toEqual(['TCP 8080', 'any', 'any', 'any', 'any']);
    const findings = [...svg.matchAll(/<g class="bw-node bw-node-open"[^>]*>[\s\S]*?<\/g>/g)].map((m) =>
      [...m[0].matchAll(/<text class="bw-warn"[^>]*>([^<]*)</g)].map((t) => t[1]),
    );
    expect(findings).toEqual([['⚠ egress open'], ['⚠ open to all']]);
  });

  it('escapes names and labels', () => {
    const svg = renderSvg(
      networkGraphOf([
        { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'a' }, spec: { containers: [] } },
        deployment('a', 'web'),
        networkPolicy('a', 'deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
      ]),
    );
    expect(svg).toContain('>&lt;unnamed&gt;</text>');
    expect(svg).not.toContain('<unnamed>');
    assertBalanced(svg);
  });
});

describe('renderGraphHtml', () => {
  it('is one page with the SVG inline, the workloads open to all with why, and every connection', () => {
    const html = renderGraphHtml(networkGraphOf(SMALL_CASE), ['a.yaml']);
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html).toContain(renderSvg(networkGraphOf(SMALL_CASE)));
    expect(html).toContain(
      '<tr><td><code>front/web</code><br><span class="muted">Deployment</span></td><td><ul class="reasons"><li>no NetworkPolicy selects it for ingress</li></ul></td></tr>',
    );
    expect(html).toContain(
      '<tr><td><code>front/web</code></td><td><code>back/api</code></td><td><code>TCP 8080</code></td>' +
        '<td><code>front/web-egress egress[0]</code></td><td><code>back/api-from-web ingress[0]</code></td></tr>',
    );
    expect(html).not.toMatch(/<script|<link|src=|href="http/);
  });
});

describe('adjacencyHtml', () => {
  it('has one row per workload with each destination and its ports', () => {
    const html = adjacencyHtml(networkGraphOf(SMALL_CASE));
    expect(html).toContain(
      '<tr><td><code>back/api</code></td><td class="num">1</td><td><code>front/web</code> <span class="muted">any</span><br><code>anywhere (outside)</code> <span class="muted">any</span></td></tr>',
    );
    expect(html).toContain(
      '<tr><td><code>front/web</code></td><td class="num">2</td><td><code>back/api</code> <span class="muted">TCP 8080</span>',
    );
  });
});
