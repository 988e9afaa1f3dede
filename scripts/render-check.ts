/**
 * Opens a bulwark posture report in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core), checks
 * that it renders as a person would see it, and saves a full-page screenshot.
 *   npx tsx scripts/render-check.ts dist-report/report.html [dist-report/report.png]
 * Exit 1 when a check fails (each failure printed), 2 on usage errors.
 */
import * as fs from 'fs';
import * as path from 'path';
import { chromium } from 'playwright-core';
import { geometryFailures, measureGraph } from './graph-geometry';

async function main(): Promise<number> {
  const [input, output = input?.replace(/\.html$/, '.png')] = process.argv.slice(2);
  if (!input || !fs.existsSync(input)) {
    console.error('usage: render-check <report.html> [screenshot.png]  (the report must exist: run npm run synth)');
    return 2;
  }
  const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
  const browser = await chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const failures: string[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && errors.push(`console error: ${m.text()}`));
    page.on(
      'request',
      (r) => !r.url().startsWith('file:') && !r.url().startsWith('data:') && errors.push(`network request: ${r.url()}`),
    );
    await page.goto(`file://${path.resolve(input)}`, { waitUntil: 'load' });

    const h1 = (await page.locator('h1').first().textContent()) ?? '';
    if (!h1.startsWith('bulwark posture report')) failures.push(`heading is ${JSON.stringify(h1)}`);
    const cards = await page.locator('.card').count();
    if (cards < 6) failures.push(`${cards} summary cards, expected at least 6`);
    const svg = page.locator('svg').first();
    const box = await svg.boundingBox();
    if (!box || box.width < 200 || box.height < 100)
      failures.push(`network graph box ${JSON.stringify(box)} is too small to read`);
    // The graph is drawn at its natural size (text stays readable) inside a frame that scrolls: the frame must fit.
    const frame = await page.locator('.graph').first().boundingBox();
    if (box && (!frame || frame.x + frame.width > 1400))
      failures.push(`network graph frame overflows the page (right edge at ${frame ? frame.x + frame.width : '?'}px)`);
    const nodes = await page.locator('svg text').count();
    if (nodes < 5) failures.push(`network graph has ${nodes} text labels`);
    const tables = await page.locator('table').count();
    if (tables < 2) failures.push(`${tables} tables (findings, namespaces) rendered`);
    const geometry = await measureGraph(page);
    failures.push(...geometryFailures('report graph', geometry));
    failures.push(...errors);
    await page.screenshot({ path: output, fullPage: true });
    console.log(
      `render-check: ${input}: h1 ${JSON.stringify(h1)}, ${cards} cards, ${tables} tables, graph ${Math.round(box?.width ?? 0)}x${Math.round(box?.height ?? 0)}px with ${nodes} labels; screenshot ${output}`,
    );
  } finally {
    await browser.close();
  }
  for (const f of failures) console.error(`render-check: ${f}`);
  return failures.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(2);
  },
);
