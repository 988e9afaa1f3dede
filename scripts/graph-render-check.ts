/**
 * Renders the network graph of two real-scale apps in headless Chromium (Debian's /usr/bin/chromium, driven by
 * playwright-core) and measures it as drawn: the 11-service microservices demo and 100 workloads in 10 namespaces.
 * Fails when two node boxes overlap, an edge label overlaps a label or a box, or a label is off its edge.
 *   npx tsx scripts/graph-render-check.ts [--screenshots DIR]
 * Exit 1 when a check fails (each failure printed), 2 on usage errors.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium } from 'playwright-core';
import { networkGraphOf } from '../lib/graph/reachability';
import { renderGraphHtml } from '../lib/graph/render-html';
import { boutiqueApp, teamsApp } from '../test/helpers/graph-apps';
import { geometryFailures, measureGraph } from './graph-geometry';

const CASES = [
  { name: 'graph-11', title: '11-service demo', objects: boutiqueApp },
  { name: 'graph-100', title: '100 workloads', objects: teamsApp },
];

async function main(argv: readonly string[]): Promise<number> {
  const i = argv.indexOf('--screenshots');
  if (argv.length && (i < 0 || !argv[i + 1])) {
    console.error('usage: graph-render-check [--screenshots DIR]');
    return 2;
  }
  const shots = i >= 0 ? argv[i + 1] : undefined;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-graph-'));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  const failures: string[] = [];
  try {
    for (const c of CASES) {
      const graph = networkGraphOf(c.objects());
      const file = path.join(work, `${c.name}.html`);
      fs.writeFileSync(file, renderGraphHtml(graph));
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      await page.goto(`file://${file}`, { waitUntil: 'load' });
      const g = await measureGraph(page);
      failures.push(...geometryFailures(c.title, g));
      if (g.nodes < graph.workloads.length)
        failures.push(`${c.title}: ${g.nodes} boxes for ${graph.workloads.length} workloads`);
      if (shots) {
        fs.mkdirSync(shots, { recursive: true });
        const svg = page.locator('svg').first();
        const box = await svg.boundingBox();
        await page.setViewportSize({ width: Math.ceil((box?.width ?? 1200) + 120), height: 1000 });
        await svg.screenshot({ path: path.join(shots, `${c.name}.png`) });
      }
      console.log(
        `graph-render-check: ${c.title}: ${graph.workloads.length} workloads, ${g.nodes} boxes, ${g.labels} edge labels; ` +
          `${g.nodeOverlaps.length} box overlaps, ${g.labelOverlaps.length} label overlaps, ${g.labelsOffEdge.length} labels off their edge`,
      );
      await page.close();
    }
  } finally {
    await browser.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
  for (const f of failures) console.error(`graph-render-check: ${f}`);
  return failures.length ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(2);
  },
);
