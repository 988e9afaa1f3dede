/**
 * Throughput on real third-party manifests (test/corpus/real-world, replicated to at least --mb megabytes):
 * `bulwark audit --format json` end to end beside parsing the same files with the `yaml` package alone, runs
 * alternated in one session so all see the same machine. Prints MB/s of each, their ratio and peak memory.
 *
 * The audit measured is the compiled build (`npm run build`, run first unless --no-build), as users run it once
 * bulwark is installed; the repository's bin/bulwark.js (the TypeScript sources through tsx, which transpiles them at
 * start) is measured beside it and reported on its own line, not used for the ratio.
 *
 * `--compare <dir>` also measures another compiled build (a copy of build/ made at an earlier commit, with that
 * commit's schemas/ beside it: `<dir>/../schemas`), in the same alternation, for before/after figures of one run.
 *
 *   npx tsx bench/real-world-bench.ts [--mb 40] [--runs 3] [--no-build] [--no-tsx] [--compare <build-dir>]
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO_ROOT, runMeasured, tsNodeArgs } from './measured-process';
import { median } from './stats';

const CORPUS = path.join(REPO_ROOT, 'test', 'corpus', 'real-world');
const BIN = path.join(REPO_ROOT, 'bin', 'bulwark.js');
const COMPILED = path.join(__dirname, 'compiled-cli.js');

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

interface AuditRun {
  readonly ms: number;
  readonly rssMb: number;
  readonly code: number | null;
}

async function auditOnce(bin: string, dir: string, buildDir?: string): Promise<AuditRun> {
  const a = await runMeasured(
    [bin, 'audit', '--format', 'json', dir],
    buildDir ? { env: { BULWARK_BUILD_DIR: buildDir } } : {},
  );
  if (a.code !== 0 && a.code !== 1 && a.code !== 2) throw new Error(`bulwark audit exited ${a.code}: ${a.stderr}`);
  return { ms: a.wallMs, rssMb: a.maxRssKb / 1024, code: a.code };
}

async function run(argv: readonly string[]): Promise<void> {
  const mb = flag(argv, '--mb', 40);
  const runs = flag(argv, '--runs', 3);
  const withTsx = !argv.includes('--no-tsx');
  const ci = argv.indexOf('--compare');
  const compare = ci === -1 ? undefined : path.resolve(argv[ci + 1]);
  if (!argv.includes('--no-build')) {
    process.stdout.write('npm run build (the compiled CLI is what is measured)\n');
    execFileSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'ignore' });
  }
  if (!fs.existsSync(path.join(REPO_ROOT, 'build', 'cli', 'main.js'))) throw new Error('no build/: run npm run build');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-real-world-'));
  try {
    const corpus = replicateCorpus(dir, mb * 1e6);
    const megabytes = corpus.bytes / 1e6;
    process.stdout.write(`real-world corpus x${corpus.copies}: ${corpus.files} files, ${megabytes.toFixed(1)} MB\n`);
    const audit: AuditRun[] = [];
    const tsx: AuditRun[] = [];
    const before: AuditRun[] = [];
    const yaml: { ms: number; rssMb: number }[] = [];
    for (let r = 0; r < runs; r++) {
      // Alternated: compiled audit, yaml alone, then the tsx audit (when asked), so each sees the same load.
      const a = await auditOnce(COMPILED, dir);
      audit.push(a);
      const y = await runMeasured(tsNodeArgs(path.join(__dirname, 'yaml-parse-child.ts'), [dir]));
      if (y.code !== 0) throw new Error(`yaml parse exited ${y.code}: ${y.stderr}`);
      yaml.push({ ms: y.wallMs, rssMb: y.maxRssKb / 1024 });
      const t = withTsx ? await auditOnce(BIN, dir) : undefined;
      if (t) tsx.push(t);
      const b = compare ? await auditOnce(COMPILED, dir, compare) : undefined;
      if (b) before.push(b);
      process.stdout.write(
        `run ${r + 1}/${runs}: bulwark audit ${a.ms.toFixed(0)} ms (exit ${a.code}, ${a.rssMb.toFixed(0)} MB), ` +
          `yaml alone ${y.wallMs.toFixed(0)} ms` +
          (t ? `, bulwark audit through tsx ${t.ms.toFixed(0)} ms (${t.rssMb.toFixed(0)} MB)` : '') +
          (b ? `, compared build ${b.ms.toFixed(0)} ms (exit ${b.code}, ${b.rssMb.toFixed(0)} MB)` : '') +
          ` (load ${os.loadavg()[0].toFixed(1)})\n`,
      );
    }
    const auditMs = median(audit.map((a) => a.ms));
    const yamlMs = median(yaml.map((y) => y.ms));
    const mbps = (ms: number) => `${(megabytes / (ms / 1000)).toFixed(1)} MB/s`;
    const peak = (xs: readonly { rssMb: number }[]) => `${Math.max(...xs.map((x) => x.rssMb)).toFixed(0)} MB`;
    const rows = [
      '| measure | bulwark audit (compiled build, end to end) | yaml package alone (parse) |',
      '| --- | --- | --- |',
      `| median wall time | ${auditMs.toFixed(0)} ms | ${yamlMs.toFixed(0)} ms |`,
      `| throughput | ${mbps(auditMs)} | ${mbps(yamlMs)} |`,
      `| peak memory (max) | ${peak(audit)} | ${peak(yaml)} |`,
      `| ratio (audit throughput / yaml throughput) | ${(yamlMs / auditMs).toFixed(2)}x | 1x |`,
    ];
    if (tsx.length > 0) {
      const tsxMs = median(tsx.map((t) => t.ms));
      rows.push(
        `| bin/bulwark.js through tsx (repository only) | ${tsxMs.toFixed(0)} ms, ${mbps(tsxMs)}, ${peak(tsx)}, ` +
          `${(yamlMs / tsxMs).toFixed(2)}x | |`,
      );
    }
    if (before.length > 0) {
      const beforeMs = median(before.map((b) => b.ms));
      rows.push(
        `| compared build (--compare) | ${beforeMs.toFixed(0)} ms, ${mbps(beforeMs)}, ${peak(before)}, ` +
          `${(yamlMs / beforeMs).toFixed(2)}x | |`,
      );
    }
    process.stdout.write(`${rows.join('\n')}\n`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  run(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 2;
  });
}
