import { NEWEST_PSS_MINOR } from '../policy/pss-version';
import { RULE_GROUPS } from '../policy/rule';
import { formatInputError } from '../manifest/manifests';
import { postureReportOf } from '../report/report-of-manifests';
import { renderReportHtml } from '../report/render-report-html';
import { renderReportMarkdown } from '../report/render-report-markdown';
import { AuditArgs, parseAuditArgs } from './audit-args';
import { exitCodeOf, formatSummary, summarize } from './audit-report';
import { CliIo, Command, EXIT_OK, EXIT_USAGE, UsageError } from './cli-io';
import { openToAllLines, readInputs, writeOutput } from './graph-command';
import { oneOf } from './parse-options';

export type ReportFormat = 'html' | 'markdown';
export const REPORT_FORMATS: readonly ReportFormat[] = ['html', 'markdown'];

export const REPORT_HELP = `usage: bulwark report [options] <file|dir|->...

Writes a posture report of Kubernetes manifests: findings by rule and severity, exemptions with their reasons, a
summary per namespace and the network reachability graph. HTML is one self-contained page (inline CSS, the graph
as inline SVG, no script); Markdown embeds the graph as a Mermaid diagram. Inputs are read as by 'bulwark audit'.

  bulwark report --output report.html dist/
  helm template my-release ./chart | bulwark report --format markdown -

options:
  --format html|markdown         report format (default: html)
  --output <file>                write the report to this file instead of standard output
  --level baseline|restricted    Pod Security Standards level to enforce (default: restricted)
  --pss-version vX.Y|latest      Pod Security Standards version, v1.0 to v1.${NEWEST_PSS_MINOR} (default: latest)
  --only <ids or groups>         run only these rules or groups, comma-separated, repeatable
                                 (groups: ${RULE_GROUPS.join(', ')})
  --fail-on error|warning        lowest severity that fails (default: error)
  --allowed-registries <a,b>     registries images may come from, comma-separated, repeatable (default: any)
  -h, --help                     show this help

exit codes: as 'bulwark audit': 0 no finding at or above --fail-on, 1 findings, 2 usage or input errors (input
errors win). Workloads open to all are listed on standard error and in the report, but do not change the exit code.
`;

export interface ReportArgs {
  readonly format: ReportFormat;
  readonly audit: AuditArgs;
}

/**
 * Parses `bulwark report` arguments: `--format` is the report's own, every other option is the audit's (same names,
 * values and messages as `bulwark audit`).
 */
export function parseReportArgs(argv: readonly string[]): ReportArgs {
  let format: ReportFormat = 'html';
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (arg === '--format' || arg.startsWith('--format=')) {
      const value = arg === '--format' ? argv[++i] : arg.slice('--format='.length);
      if (value === undefined || value === '' || (value.startsWith('--') && value.length > 2)) {
        throw new UsageError('--format: missing value: --format needs a value (see --help)');
      }
      format = oneOf('--format', value, REPORT_FORMATS);
      continue;
    }
    rest.push(arg);
  }
  return { format, audit: parseAuditArgs(rest) };
}

/** `bulwark report [options] <file|dir|->...`: the posture report of the input as HTML or Markdown. */
export const reportCommand: Command = async (argv: readonly string[], io: CliIo): Promise<number> => {
  let args: ReportArgs;
  try {
    args = parseReportArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`bulwark report: ${e.message}\n`);
    return EXIT_USAGE;
  }
  if (args.audit.help) {
    io.stdout(REPORT_HELP);
    return EXIT_OK;
  }
  const a = args.audit;
  const manifests = await readInputs(a.inputs, io);
  for (const e of manifests.errors) io.stderr(`bulwark report: ${formatInputError(e)}\n`);
  const { report, result } = postureReportOf(manifests, {
    level: a.level,
    pssVersion: a.pssVersion,
    only: a.only,
    ...(a.allowedRegistries.length ? { allowedRegistries: a.allowedRegistries } : {}),
  });
  const text = args.format === 'html' ? renderReportHtml(report) : renderReportMarkdown(report);
  if (!writeOutput('report', a.output, text, io)) return EXIT_USAGE;
  for (const line of openToAllLines('report', report.graph)) io.stderr(line);
  const auditReport = {
    result,
    inputErrors: manifests.errors,
    files: manifests.files,
    rules: [],
    failOn: a.failOn,
  };
  if (a.output !== undefined && a.output !== '-') {
    io.stderr(
      `bulwark report: wrote the ${args.format} report to ${a.output}: ${formatSummary(summarize(auditReport))}\n`,
    );
  }
  return exitCodeOf(auditReport);
};
