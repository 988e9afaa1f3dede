/**
 * `npm run bench:package`: the package as users get it, against the issue-12 goals.
 *
 * - Startup: `bulwark audit` of one small file as a whole process, from the packed package installed in a temporary
 *   node_modules (the compiled build, no TypeScript loader), against `node -e "require('yaml')"`, alternated run by
 *   run in the same session. Goal: ≤ 2× (median over median).
 * - Installed size of a constructs-only project: `npm install <tarball> cdk8s constructs` into an empty folder
 *   (from the npm registry), node_modules measured on disk. Goal: < 60 MB, and no @pulumi package.
 *
 *   npm run bench:package -- [--runs 15] [--tarball bulwark-x.tgz] [--no-install]
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO_ROOT, runMeasured } from './measured-process';
import { median, ratio, round } from './stats';

const SMALL_MANIFEST = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
data:
  level: info
`;

function parse(argv: readonly string[]): { runs: number; tarball?: string; install: boolean } {
  let runs = 15;
  let tarball: string | undefined;
  let install = true;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') runs = Number(argv[++i]);
    else if (argv[i] === '--tarball') tarball = path.resolve(argv[++i]);
    else if (argv[i] === '--no-install') install = false;
    else
      throw new Error(`unknown argument '${argv[i]}'; usage: bench:package [--runs N] [--tarball FILE] [--no-install]`);
  }
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs needs an integer ≥ 1');
  return { runs, tarball, install };
}

function du(dir: string): number {
  return Number(execFileSync('du', ['-sk', dir], { encoding: 'utf8' }).split('\t')[0]) * 1024;
}

const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);

async function main(): Promise<void> {
  const { runs, tarball: given, install } = parse(process.argv.slice(2));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-pkg-bench-'));
  try {
    const tarball =
      given ??
      path.join(
        work,
        execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: REPO_ROOT, encoding: 'utf8' })
          .trim()
          .split('\n')
          .pop()!,
      );
    console.log(`tarball: ${path.basename(tarball)}, ${round(fs.statSync(tarball).size / 1024, 0)} kB`);

    // The package unpacked as npm installs it, its dependencies linked from the repository's node_modules.
    const modules = path.join(work, 'startup', 'node_modules');
    fs.mkdirSync(path.join(modules, 'bulwark'), { recursive: true });
    execFileSync('tar', ['xzf', tarball, '-C', path.join(modules, 'bulwark'), '--strip-components=1']);
    // Its run-time dependencies and required peers, as its package.json names them (a list kept here went stale).
    const manifest = JSON.parse(fs.readFileSync(path.join(modules, 'bulwark', 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      peerDependencies?: Record<string, string>;
      peerDependenciesMeta?: Record<string, { optional?: boolean }>;
    };
    const runtime = [
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}).filter((p) => !manifest.peerDependenciesMeta?.[p]?.optional),
    ];
    for (const dep of runtime) {
      fs.mkdirSync(path.dirname(path.join(modules, dep)), { recursive: true });
      fs.symlinkSync(path.join(REPO_ROOT, 'node_modules', dep), path.join(modules, dep), 'dir');
    }
    const file = path.join(work, 'startup', 'small.yaml');
    fs.writeFileSync(file, SMALL_MANIFEST);
    const bin = path.join(modules, 'bulwark', 'bin', 'bulwark.js');
    const cwd = path.join(work, 'startup');
    const audit: number[] = [];
    const yaml: number[] = [];
    for (let i = 0; i < runs + 1; i++) {
      const a = await runMeasured([bin, 'audit', file], { cwd });
      const y = await runMeasured(['-e', "require('yaml')"], { cwd });
      if (a.code !== 0) throw new Error(`bulwark audit exited ${a.code}: ${a.stderr}${a.stdout}`);
      if (y.code !== 0) throw new Error(`node -e require('yaml') exited ${y.code}: ${y.stderr}`);
      if (i === 0) continue; // warm-up: file cache
      audit.push(a.wallMs);
      yaml.push(y.wallMs);
    }
    const startupRatio = ratio(median(audit), median(yaml));
    console.log(
      `startup (median of ${runs}, alternated): bulwark audit ${round(median(audit), 0)} ms, ` +
        `node -e "require('yaml')" ${round(median(yaml), 0)} ms: ${round(startupRatio)}× (goal ≤ 2×: ${startupRatio <= 2 ? 'met' : 'NOT met'})`,
    );

    const result: Record<string, unknown> = {
      tarballBytes: fs.statSync(tarball).size,
      startup: { runs, auditMs: audit, yamlMs: yaml, ratio: startupRatio },
    };
    if (install) {
      const project = path.join(work, 'constructs-only');
      fs.mkdirSync(project);
      fs.writeFileSync(path.join(project, 'package.json'), '{ "name": "consumer", "private": true }\n');
      const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
      execFileSync(
        'npm',
        [
          'install',
          '--no-audit',
          '--no-fund',
          '--loglevel=error',
          tarball,
          `cdk8s@${pkg.devDependencies.cdk8s}`,
          `constructs@${pkg.devDependencies.constructs}`,
        ],
        { cwd: project, stdio: 'inherit' },
      );
      const size = du(path.join(project, 'node_modules'));
      const pulumi = fs.existsSync(path.join(project, 'node_modules', '@pulumi'));
      const top = fs.readdirSync(path.join(project, 'node_modules')).filter((e) => !e.startsWith('.'));
      console.log(
        `installed size, constructs only: ${mb(size)} MB (goal < 60 MB: ${size < 60 * 1024 * 1024 ? 'met' : 'NOT met'}); ` +
          `@pulumi installed: ${pulumi}; top-level: ${top.join(', ')}`,
      );
      result.install = { bytes: size, pulumi, topLevel: top };
    }
    const out = path.join(__dirname, 'results', 'package.json');
    fs.writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
    console.log(`results: ${path.relative(REPO_ROOT, out)}`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
