import * as fs from 'fs';
import * as path from 'path';
import { CliIo, Command, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError } from './cli-io';

const HELP = `usage: bulwark synth [--app <module>] [--out <dir>] [--no-audit]

Synthesizes a cdk8s app with the rule catalog validating at synth time, writes it to <dir> only when synthesis
succeeds (nothing is written on any error), then audits what was written and writes its posture report and
network graph to <dir>-report/ (report.html, report.md, network.svg, network.mmd).

options:
  --app <module>   TypeScript module exporting build(app: App) (default: stacks/main.ts)
  --out <dir>      output directory, replaced as a whole (default: dist)
  --no-audit       skip the audit of the written manifests (and the report)
  -h, --help       this help
`;

interface SynthArgs {
  readonly app: string;
  readonly out: string;
  readonly audit: boolean;
}

function parseArgs(argv: readonly string[]): SynthArgs | 'help' {
  let app = 'stacks/main.ts';
  let out = 'dist';
  let audit = true;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`option '${a}' needs a value: ${a} <path>`);
      return v;
    };
    if (a === '-h' || a === '--help') return 'help';
    else if (a === '--app') app = value();
    else if (a === '--out') out = value();
    else if (a === '--no-audit') audit = false;
    else throw new UsageError(`unknown option '${a}'; allowed: --app <module>, --out <dir>, --no-audit, --help`);
  }
  return { app, out, audit };
}

/** `bulwark synth`: the main job on a machine with no cluster. */
export const synthCommand: Command = async (argv, io: CliIo) => {
  let args: SynthArgs | 'help';
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`bulwark synth: ${e.message}\n`);
    return EXIT_USAGE;
  }
  if (args === 'help') {
    io.stdout(HELP);
    return EXIT_OK;
  }
  const appModule = path.resolve(io.cwd, args.app);
  const out = path.resolve(io.cwd, args.out);
  if (!fs.existsSync(appModule)) {
    io.stderr(
      `bulwark synth: --app '${args.app}' does not exist (resolved to ${appModule}); give a module exporting build(app)\n`,
    );
    return EXIT_USAGE;
  }
  const mod = require(appModule) as { build?: (app: unknown) => void };
  if (typeof mod.build !== 'function') {
    io.stderr(
      `bulwark synth: --app '${args.app}' exports no build(app) function; export one that adds charts to the App\n`,
    );
    return EXIT_USAGE;
  }

  // Synthesize into a fresh directory beside the output and swap it in only on success, so a failed synthesis leaves
  // the previous output untouched and never a half-written one.
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const staging = fs.mkdtempSync(path.join(path.dirname(out), '.bulwark-tmp-'));
  try {
    const { App } = require('cdk8s') as typeof import('cdk8s');
    const app = new App({ outdir: staging });
    mod.build(app);
    app.synth();
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    io.stderr(`bulwark synth: synthesis refused; nothing was written to ${args.out}/\n${(e as Error).message}\n`);
    return EXIT_FINDINGS;
  }
  fs.rmSync(out, { recursive: true, force: true });
  fs.renameSync(staging, out);
  const files = fs.readdirSync(out).filter((f) => f.endsWith('.yaml'));
  io.stdout(`bulwark synth: wrote ${files.length} manifest files to ${args.out}/ (${files.join(', ')})\n`);
  if (!args.audit) return EXIT_OK;
  const { auditCommand } = require('./audit-command') as { auditCommand: Command };
  const code = await auditCommand([args.out], io);
  const { synthReportDir, writeSynthReport } = require('./synth-report') as typeof import('./synth-report');
  const written = await writeSynthReport(args.out, synthReportDir(args.out), io);
  return written ? code : EXIT_USAGE;
};
