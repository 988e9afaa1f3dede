import * as fs from 'fs';
import * as path from 'path';
import { Auditor } from '../policy/engine';
import { emptyManifests, Manifests, parseManifestText } from '../manifest/manifests';
import { formatSummary, summarize } from './audit-report';
import { formatGrantRequests, grantRequestsOf } from '../policy/grant-requests';
import type { K8sObject } from '../k8s/k8s-object';
import { CliIo, Command, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError } from './cli-io';
import { formatText } from './format-text';
import { renderApp, SynthFile } from './synth-render';
import {
  checkOutTarget,
  cleanStore,
  GRANT_REQUESTS_FILE,
  grantRequestsPath,
  lockOutput,
  newGeneration,
  OUTPUT_MARKER,
  OutRefused,
  OutputTarget,
  publishGeneration,
  REPORT_SUBDIR,
} from './synth-output';
import { SYNTH_REPORT_FILES, writeSynthReport } from './synth-report';

const HELP = `usage: bulwark synth [--app <module>] [--out <dir>] [--no-audit] [--wait <seconds>]

Synthesizes a cdk8s app with the rule catalog validating at synth time, audits what it wrote and writes its posture
report and network graph (report.html, report.md, network.svg, network.mmd), then makes it the output in one atomic
step: <dir> is a link to the new output, <dir>-report a link to its report. On any error or finding nothing is
replaced: <dir> stays the complete previous output. The exemptions the app asks for are written as grant requests
into the same output, seen as <dir>-grant-requests.yaml beside it (a link, like <dir>-report, that kubectl apply -f
<dir> never reads), for the platform team to review (docs/exemptions.md).

<dir> must be new, empty or a previous output of bulwark synth (it holds a ${OUTPUT_MARKER} file); bulwark refuses
the current folder, the project root, any folder holding them or .git, files and other folders. Runs writing the same
<dir> take turns; what a killed run left behind is removed by the next.

options:
  --app <module>     TypeScript module exporting build(app: App) (default: stacks/main.ts)
  --out <dir>        output folder (default: dist)
  --no-audit         skip the audit of the written manifests (and the report)
  --wait <seconds>   how long to wait for another run writing <dir> (default: 120)
  -h, --help         this help
`;

interface SynthArgs {
  readonly app: string;
  readonly out: string;
  readonly audit: boolean;
  readonly waitMs: number;
}

function parseArgs(argv: readonly string[]): SynthArgs | 'help' {
  let app = 'stacks/main.ts';
  let out = 'dist';
  let audit = true;
  let waitMs = 120_000;
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
    else if (a === '--wait') {
      const v = value();
      if (!/^\d+(\.\d+)?$/.test(v)) throw new UsageError(`--wait takes a number of seconds ≥ 0, got '${v}'`);
      waitMs = Number(v) * 1000;
    } else
      throw new UsageError(
        `unknown option '${a}'; allowed: --app <module>, --out <dir>, --no-audit, --wait <seconds>, --help`,
      );
  }
  return { app, out, audit, waitMs };
}

/** The files written, read back as any audit reads them (from their exact bytes), named as seen under --out. */
function readWritten(written: readonly SynthFile[], shownAs: string): Manifests {
  const into = emptyManifests();
  for (const f of [...written].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const name = `${shownAs.replace(/[\\/]+$/, '')}/${f.name}`;
    into.files.push(name);
    parseManifestText(f.text, name, into);
  }
  return into;
}

/** The grant requests document of the synthesized objects; throws (synthesis refused) on an invalid request. */
function grantRequestsText(objects: readonly K8sObject[]): string {
  const { requests, problems } = grantRequestsOf(objects, new Date());
  if (problems.length > 0) throw new Error(`invalid exemption requests:\n  ${problems.join('\n  ')}`);
  return formatGrantRequests(requests);
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
  if (!fs.existsSync(appModule)) {
    io.stderr(
      `bulwark synth: --app '${args.app}' does not exist (resolved to ${appModule}); give a module exporting build(app)\n`,
    );
    return EXIT_USAGE;
  }
  let target: OutputTarget;
  try {
    target = checkOutTarget(args.out, { cwd: io.cwd, appModule, reportFiles: SYNTH_REPORT_FILES });
  } catch (e) {
    if (!(e instanceof OutRefused)) throw e;
    io.stderr(`bulwark synth: ${e.message}\n`);
    return EXIT_USAGE;
  }
  const mod = require(appModule) as { build?: (app: unknown) => void };
  if (typeof mod.build !== 'function') {
    io.stderr(
      `bulwark synth: --app '${args.app}' exports no build(app) function; export one that adds charts to the App\n`,
    );
    return EXIT_USAGE;
  }

  let unlock: () => void;
  try {
    unlock = await lockOutput(target, {
      waitMs: args.waitMs,
      onWait: (holder) =>
        io.stderr(`bulwark synth: waiting for another bulwark synth (${holder}) writing ${args.out}\n`),
    });
  } catch (e) {
    if (!(e instanceof OutRefused)) throw e;
    io.stderr(`bulwark synth: ${e.message}\n`);
    return EXIT_USAGE;
  }
  try {
    cleanStore(target);
    // The output is written whole into a fresh generation and made current only when nothing was found.
    const generation = newGeneration(target);
    let written: SynthFile[];
    let manifests: Manifests;
    let grantRequests: string;
    try {
      const { App } = require('cdk8s') as typeof import('cdk8s');
      const app = new App({ outdir: generation });
      mod.build(app);
      written = renderApp(app);
      manifests = readWritten(written, args.out);
      grantRequests = grantRequestsText(manifests.objects);
      for (const f of written) fs.writeFileSync(path.join(generation, f.name), f.text);
      // In the generation, so that the requests switch with the manifests they belong to.
      fs.writeFileSync(path.join(generation, GRANT_REQUESTS_FILE), grantRequests);
    } catch (e) {
      fs.rmSync(generation, { recursive: true, force: true });
      io.stderr(`bulwark synth: synthesis refused; nothing was written to ${args.out}/\n${(e as Error).message}\n`);
      return EXIT_FINDINGS;
    }
    const files = written.map((f) => f.name).sort();
    const code = EXIT_OK;
    if (args.audit) {
      const report = {
        result: new Auditor({ level: 'restricted', pssVersion: 'latest' }).audit(manifests.objects, manifests.sources),
        inputErrors: manifests.errors,
        files: manifests.files,
        rules: [],
        failOn: 'error' as const,
      };
      const summary = summarize(report);
      io.stdout(formatText(report, { color: io.color === true }));
      if (summary.errors > 0 || summary.inputErrors > 0) {
        fs.rmSync(generation, { recursive: true, force: true });
        io.stderr(
          `bulwark synth: the audit of the synthesized manifests failed (${formatSummary(summary)}); ` +
            `nothing was written to ${args.out}/\n`,
        );
        return summary.inputErrors > 0 ? EXIT_USAGE : EXIT_FINDINGS;
      }
      if (!writeSynthReport(manifests, path.join(generation, REPORT_SUBDIR), `${args.out}/`, io)) {
        fs.rmSync(generation, { recursive: true, force: true });
        return EXIT_USAGE;
      }
    }
    publishGeneration(target, generation);
    io.stdout(
      `bulwark synth: wrote ${files.length} manifest files to ${args.out}/ (${files.join(', ')})\n` +
        `bulwark synth: wrote the exemption grant requests to ${grantRequestsPath(args.out)}\n` +
        (args.audit
          ? `bulwark synth: wrote the posture report and network graph to ${args.out.replace(/[\\/]+$/, '')}-report/ ` +
            `(${SYNTH_REPORT_FILES.join(', ')})\n`
          : ''),
    );
    return code;
  } finally {
    unlock();
  }
};
