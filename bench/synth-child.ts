/**
 * One synthesis measurement, run by the harness in a fresh process:
 *   node -r tsx/cjs bench/synth-child.ts <variant> <n> <outdir> [charts]
 * Prints one JSON line (SynthChildReport) on stdout. Times are taken inside the process around building the
 * constructs (or objects) and around the synth call; peak memory is this process's maxRSS at the end.
 */
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { DEFAULT_CHARTS, LOADERS, SYNTH_VARIANTS, SynthVariant } from './synth-workloads';

export interface SynthChildReport {
  readonly variant: SynthVariant;
  readonly n: number;
  readonly charts: number;
  /** From process start to the start of the measurement: runtime, tsx, the variant's libraries (and templates). */
  readonly loadMs: number;
  /** Building the constructs (or the plain objects). */
  readonly buildMs: number;
  /** The synth call: validation (bulwark), resolution, serialization and writing the files. */
  readonly synthMs: number;
  /**
   * CPU time of the process (user + system, every thread: JIT compilers and GC helpers too) over build and synth. Less
   * sensitive than the times above to other processes on the machine, which delay this one without using its CPU.
   */
  readonly cpuMs: number;
  readonly objects: number;
  readonly files: number;
  readonly bytes: number;
  /** Peak resident set size of this process, in kilobytes. */
  readonly maxRssKb: number;
}

function main(argv: readonly string[]): void {
  const [variant, nText, outdir, chartsText = String(DEFAULT_CHARTS)] = argv;
  if (
    !SYNTH_VARIANTS.includes(variant as SynthVariant) ||
    !/^\d+$/.test(nText ?? '') ||
    !outdir ||
    !/^\d+$/.test(chartsText)
  ) {
    throw new Error(
      `usage: synth-child <${SYNTH_VARIANTS.join('|')}> <n> <outdir> [charts]; got ${JSON.stringify(argv.slice(0, 4))}`,
    );
  }
  const n = Number(nText);
  const charts = Number(chartsText);
  const builder = LOADERS[variant as SynthVariant]();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const built = builder(n, outdir, charts);
  const t1 = performance.now();
  built.synth();
  const t2 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const names = fs.readdirSync(outdir);
  const bytes = names.reduce((sum, f) => sum + fs.statSync(path.join(outdir, f)).size, 0);
  const report: SynthChildReport = {
    variant: variant as SynthVariant,
    n,
    charts: Math.min(charts, n),
    loadMs: t0,
    buildMs: t1 - t0,
    synthMs: t2 - t1,
    cpuMs: (cpu.user + cpu.system) / 1000,
    objects: built.objectCount(),
    files: names.length,
    bytes,
    maxRssKb: process.resourceUsage().maxRSS,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main(process.argv.slice(2));
