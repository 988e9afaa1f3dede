/**
 * Throughput on real third-party manifests (test/corpus/real-world, replicated to at least --mb megabytes):
 * `bulwark audit --format json` end to end beside parsing the same files with the `yaml` package alone, runs
 * alternated in one session so both see the same machine. Prints MB/s of each, their ratio and peak memory.
 *
 *   npx tsx bench/real-world-bench.ts [--mb 40] [--runs 3]
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO_ROOT, runMeasured, tsNodeArgs } from './measured-process';
import { median } from './stats';

const CORPUS = path.join(REPO_ROOT, 'test', 'corpus', 'real-world');
const BIN = path.join(REPO_ROOT, 'bin', 'bulwark.js');

/** Copies the corpus's manifest files `copies` times into `dir` (copy-N/<folder>/<file>); returns the bytes written. */
export function replicateCorpus(dir: string, minBytes: number): { bytes: number; files: number; copies: number } {
  const sources: string[] = [];
  for (const folder of fs.readdirSync(CORPUS).sort()) {
    const d = path.join(CORPUS, folder);
    if (!fs.statSync(d).isDirectory()) continue;
    for (const f of fs.readdirSync(d).sort()) sources.push(path.join(d, f));
  }
  const once = sources.reduce((n, f) => n + fs.statSync(f).size, 0);
  const copies = Math.max(1, Math.ceil(minBytes / once));
  for (let c = 0; c < copies; c++) {
    for (const src of sources) {
      const target = path.join(dir, `copy-${c}`, path.basename(path.dirname(src)), path.basename(src));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(src, target);
    }
  }
  return { bytes: once * copies, files: sources.length * copies, copies };
}

function flag(argv: readonly string[], name: string, fallback: number): number {
  const i = argv.indexOf(name);
  return i === -1 ? fallback : Number(argv[i + 1]);
}

async function run(argv: readonly string[]): Promise<void> {
  const mb = flag(argv, '--mb', 40);
  const runs = flag(argv, '--runs', 3);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-real-world-'));
  try {
    const corpus = replicateCorpus(dir, mb * 1e6);
    const megabytes = corpus.bytes / 1e6;
    process.stdout.write(`real-world corpus x${corpus.copies}: ${corpus.files} files, ${megabytes.toFixed(1)} MB\n`);
    const audit: { ms: number; rssMb: number; code: number | null }[] = [];
    const yaml: { ms: number; rssMb: number }[] = [];
    for (let r = 0; r < runs; r++) {
      const a = await runMeasured([BIN, 'audit', '--format', 'json', dir]);
      if (a.code !== 0 && a.code !== 1 && a.code !== 2) throw new Error(`bulwark audit exited ${a.code}: ${a.stderr}`);
      audit.push({ ms: a.wallMs, rssMb: a.maxRssKb / 1024, code: a.code });
      const y = await runMeasured(tsNodeArgs(path.join(__dirname, 'yaml-parse-child.ts'), [dir]));
      if (y.code !== 0) throw new Error(`yaml parse exited ${y.code}: ${y.stderr}`);
      yaml.push({ ms: y.wallMs, rssMb: y.maxRssKb / 1024 });
      process.stdout.write(
        `run ${r + 1}/${runs}: bulwark audit ${a.wallMs.toFixed(0)} ms (exit ${a.code}, ${(a.maxRssKb / 1024).toFixed(0)} MB), yaml alone ${y.wallMs.toFixed(0)} ms\n`,
      );
    }
    const auditMs = median(audit.map((a) => a.ms));
    const yamlMs = median(yaml.map((y) => y.ms));
    const rows = [
      '| measure | bulwark audit (end to end) | yaml package alone (parse) |',
      '| --- | --- | --- |',
      `| median wall time | ${auditMs.toFixed(0)} ms | ${yamlMs.toFixed(0)} ms |`,
      `| throughput | ${(megabytes / (auditMs / 1000)).toFixed(1)} MB/s | ${(megabytes / (yamlMs / 1000)).toFixed(1)} MB/s |`,
      `| peak memory (max) | ${Math.max(...audit.map((a) => a.rssMb)).toFixed(0)} MB | ${Math.max(...yaml.map((y) => y.rssMb)).toFixed(0)} MB |`,
      `| ratio (audit throughput / yaml throughput) | ${(yamlMs / auditMs).toFixed(2)}x | 1x |`,
    ];
    process.stdout.write(`${rows.join('\n')}\n`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

run(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 2;
});
