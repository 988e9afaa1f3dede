import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runMeasured, RunOptions, tsNodeArgs } from './measured-process';
import type { SynthChildReport } from './synth-child';
import { DEFAULT_CHARTS, SynthVariant } from './synth-workloads';

/** One synthesis of N workloads by one variant, in its own process. */
export interface SynthRun {
  readonly variant: SynthVariant;
  readonly n: number;
  readonly charts: number;
  /** Process start to exit, seen from outside. */
  readonly wallMs: number;
  /** Building the constructs plus the synth call, measured inside the process. */
  readonly inProcessMs: number;
  readonly buildMs: number;
  readonly synthMs: number;
  /** CPU time of the process over build and synth (every thread), measured inside it. */
  readonly cpuMs: number;
  /** Process start to the start of the measurement (runtime and module loading). */
  readonly loadMs: number;
  readonly maxRssMb: number;
  readonly objects: number;
  readonly bytes: number;
}

const CHILD = path.join(__dirname, 'synth-child.ts');

/** Synthesizes N workloads with `variant` in a fresh process, into a temporary directory removed afterwards. */
export async function measureSynth(
  variant: SynthVariant,
  n: number,
  charts = DEFAULT_CHARTS,
  options: RunOptions = {},
): Promise<SynthRun> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `bulwark-bench-${variant}-${n}-`));
  try {
    const p = await runMeasured(tsNodeArgs(CHILD, [variant, String(n), outdir, String(charts)]), options);
    const line = p.stdout.trim().split('\n').pop() ?? '';
    if (p.code !== 0 || !line.startsWith('{')) {
      throw new Error(`synthesis of ${n} workloads (${variant}) failed with exit code ${p.code}:\n${p.stderr.trim()}`);
    }
    const r = JSON.parse(line) as SynthChildReport;
    return {
      variant,
      n,
      charts: r.charts,
      wallMs: p.wallMs,
      inProcessMs: r.buildMs + r.synthMs,
      buildMs: r.buildMs,
      synthMs: r.synthMs,
      cpuMs: r.cpuMs,
      loadMs: r.loadMs,
      maxRssMb: (Number.isFinite(p.maxRssKb) ? p.maxRssKb : r.maxRssKb) / 1024,
      objects: r.objects,
      bytes: r.bytes,
    };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
