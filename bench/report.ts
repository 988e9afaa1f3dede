import type { BenchResults } from './harness';
import { median } from './stats';
import { SYNTH_VARIANTS } from './synth-workloads';

const num = (x: number, digits = 0) =>
  Number.isFinite(x)
    ? x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : 'n/a';
const times = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : 'n/a');

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The results as Markdown tables: synthesis, ratios, scaling, audit, plan and goals. */
export function formatReport(r: BenchResults): string {
  const out: string[] = [];
  const m = r.machine;
  out.push(
    `Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB, Node ${m.node}, ${m.platform}. ` +
      `Medians of ${r.config.runs} runs per size and variant, each in a fresh process; ` +
      `workloads split over ${r.config.charts} charts.`,
  );

  out.push('\n### Synthesis\n');
  const rows: string[][] = [];
  for (const s of r.synth) {
    for (const v of SYNTH_VARIANTS) {
      const x = s.variants[v];
      if (!x) continue;
      rows.push([
        num(s.n),
        v,
        num(x.objects),
        num(x.median.wallMs),
        num(x.median.inProcessMs),
        num(x.median.buildMs),
        num(x.median.synthMs),
        num(x.median.cpuMs),
        num(x.median.maxRssMb),
      ]);
    }
  }
  out.push(
    table(
      ['N', 'variant', 'objects', 'wall ms', 'in-process ms', 'build ms', 'synth ms', 'in-process CPU ms', 'peak MB'],
      rows,
    ),
  );

  out.push('\n### Ratios of medians (in-process; wall in parentheses)\n');
  const both = (x: { inProcess: number; wall: number }) => `${times(x.inProcess)} (${times(x.wall)})`;
  out.push(
    table(
      [
        'N',
        'bulwark / plain',
        'bulwark-synth / plain',
        'bulwark / plain per object',
        'bulwark / yaml-plain',
        'plain / yaml-plain',
        'bulwark / yaml-bulwark',
        'yaml-bulwark / plain',
        'bulwark / fastyaml-bulwark',
        'bulwark / plain-fastyaml',
      ],
      r.synth.map((s) => [
        num(s.n),
        both(s.ratios.bulwarkVsPlain),
        both(s.ratios.bulwarkSynthVsPlain),
        both(s.ratios.bulwarkVsPlainPerObject),
        both(s.ratios.bulwarkVsYamlPlain),
        both(s.ratios.plainVsYamlPlain),
        both(s.ratios.bulwarkVsYamlBulwark),
        both(s.ratios.yamlBulwarkVsPlain),
        both(s.ratios.bulwarkVsFastYamlBulwark),
        both(s.ratios.bulwarkVsPlainFastYaml),
      ]),
    ),
  );

  out.push('\n### Ratios of medians of in-process CPU time (user + system, every thread of the process)\n');
  out.push(
    table(
      ['N', 'bulwark / plain', 'bulwark-synth / plain', 'yaml-bulwark / plain'],
      r.synth.map((s) => [
        num(s.n),
        times(s.ratios.bulwarkVsPlain.cpu ?? Number.NaN),
        times(s.ratios.bulwarkSynthVsPlain.cpu ?? Number.NaN),
        times(s.ratios.yamlBulwarkVsPlain.cpu ?? Number.NaN),
      ]),
    ),
  );

  out.push('\n### Cost per workload (in-process ms / N) and straight-line fit\n');
  const sizes = r.synth.map((s) => s.n);
  out.push(
    table(
      ['variant', ...sizes.map((n) => `N=${num(n)}`), 'fit: ms per workload', 'fit: fixed ms', 'R²'],
      r.scaling.map((sc) => [
        sc.variant,
        ...sc.msPerWorkload.map((p) => num(p.ms, 3)),
        num(sc.fit.msPerWorkload, 3),
        num(sc.fit.interceptMs),
        num(sc.fit.r2, 4),
      ]),
    ),
  );

  if (r.audit) {
    const a = r.audit;
    out.push('\n### Audit\n');
    out.push(
      `Corpus: ${num(a.corpus.objects)} objects in ${num(a.corpus.files)} files, ${num(a.corpus.bytes / 1e6, 1)} MB; ` +
        `${num(a.afterParse.findings)} findings.`,
    );
    out.push('');
    out.push(
      table(
        ['measurement', 'median', 'throughput', 'peak MB'],
        [
          [
            'after parse: first `new Auditor().audit(objects)` in the process',
            `${num(a.afterParse.medianAuditMs)} ms`,
            `${num(a.afterParse.objectsPerSecond)} objects/s`,
            num(median(a.afterParse.runs.map((x) => x.maxRssMb))),
          ],
          [
            'after parse: the same audit again (warm)',
            `${num(a.afterParse.medianWarmAuditMs)} ms`,
            `${num(a.afterParse.warmObjectsPerSecond)} objects/s`,
            '',
          ],
          [
            'end to end: `bulwark audit --format json <dir>`',
            `${num(a.endToEnd.medianWallMs)} ms`,
            `${num(a.endToEnd.megabytesPerSecond, 1)} MB/s (${num(a.endToEnd.objectsPerSecond)} objects/s)`,
            num(a.endToEnd.maxRssMb),
          ],
        ],
      ),
    );
  }

  if (r.plan) {
    out.push('\n### Pulumi offline plan\n');
    if (!r.plan.available) out.push(`Not available: ${r.plan.reason}.`);
    else {
      out.push(
        table(
          ['stack', 'resources', 'posture controls (failed)', 'wall ms', 'peak MB'],
          r.plan.stacks.map((p) => [
            p.stack,
            num(p.resources),
            `${p.controls} (${p.failedControls})`,
            num(p.medianWallMs),
            num(p.maxRssMb),
          ]),
        ),
      );
    }
  }

  if (r.suite) {
    out.push('\n### Unit suite\n');
    const t = r.suite.tests;
    out.push(
      `\`jest --ci --silent\`: ${num(r.suite.wallMs / 1000, 1)} s wall, exit code ${r.suite.exitCode}` +
        (t ? `, ${t.passed} passed, ${t.failed} failed of ${t.total} tests.` : '.'),
    );
  }

  out.push('\n### Goals\n');
  out.push(
    table(
      ['goal', 'target', 'measured', 'met'],
      r.goals.map((g) => [g.goal, g.target, g.actual, g.met === undefined ? 'not measured' : g.met ? 'yes' : 'NO']),
    ),
  );
  return `${out.join('\n')}\n`;
}
