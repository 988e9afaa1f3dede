import * as fs from 'fs';
import * as path from 'path';
import { RULES, selectRules, UnknownRuleError } from '../policy/catalog';
import { parseKubernetesVersion } from '../policy/api-versions';
import { OpenApiReleaseError, openApiReleaseFor } from '../k8s/openapi-schema';
import { CustomRuleError, CustomRulesError, loadCustomRules } from '../policy/custom-rules';
import type { Rule } from '../policy/rule';
import { BulwarkConfigError, readBulwarkConfig } from './bulwark-config';
import { AuditResult, Auditor, Finding } from '../policy/engine';
import { ExemptionGrant, grantsOfObjects } from '../policy/exemption-grants';
import { FieldLocator } from '../manifest/field-lines';
import { formatInputError, readManifests, STDIN_NAME } from '../manifest/manifests';
import { AUDIT_HELP, AuditArgs, AuditFormat, parseAuditArgs } from './audit-args';
import { AuditReport, exitCodeOf, formatSummary, summarize } from './audit-report';
import { CliIo, Command, EXIT_OK, EXIT_USAGE, UsageError } from './cli-io';
import { formatJson } from './format-json';
import { formatSarif } from './format-sarif';
import { formatText } from './format-text';

function render(format: AuditFormat, report: AuditReport, color: boolean): string {
  switch (format) {
    case 'json':
      return formatJson(report);
    case 'sarif':
      return formatSarif(report);
    case 'text':
      return formatText(report, { color });
  }
}

/**
 * The findings with the line of their field (`Finding.line`) where the object's file and field path locate it; the
 * source keeps the object's own line.
 */
export function locateFindings(result: AuditResult, locator: FieldLocator): AuditResult {
  const locate = <F extends Finding>(f: F): F => {
    const src = f.source;
    if (!src || f.path === undefined || src.document === undefined) return f;
    const line = locator.lineOf(src.file, { document: src.document, item: src.item }, f.path);
    return line === undefined ? f : { ...f, line };
  };
  return { ...result, findings: result.findings.map(locate), exempted: result.exempted.map(locate) };
}

/** Reads the inputs and audits them; the report plus what the command should exit with. */
export async function runAudit(args: AuditArgs, io: CliIo, customRules: readonly Rule[] = []): Promise<AuditReport> {
  const manifests = await readManifests(args.inputs, {
    cwd: io.cwd,
    readStdin: io.readStdin,
    maxFileMib: args.maxFileMib,
    exclude: args.exclude,
    strict: args.strict,
  });
  if (manifests.objects.length === 0 && manifests.errors.length === 0) {
    // A security gate must not pass on nothing: `helm template ... | bulwark audit -` with a failing helm reads ''.
    manifests.errors.push({
      file: args.inputs.map((i) => (i === '-' ? STDIN_NAME : i)).join(', '),
      message: 'no Kubernetes objects in the input: an empty input usually means the command that produced it failed',
    });
  }
  let grants: ExemptionGrant[] | undefined;
  if (args.exemptions !== undefined) {
    const read = await readManifests([args.exemptions], { cwd: io.cwd, readStdin: io.readStdin });
    const file = args.exemptions === '-' ? STDIN_NAME : args.exemptions;
    const checked = grantsOfObjects(
      read.objects,
      customRules.map((r) => r.id),
    );
    manifests.errors.push(
      ...read.errors.map((e) => ({ ...e, message: `--exemptions: ${e.message}` })),
      ...checked.problems.map((p) => ({ file, message: `--exemptions: ${p.path}: ${p.message}` })),
    );
    if (read.objects.length === 0 && read.errors.length === 0) {
      manifests.errors.push({ file, message: `--exemptions: no ExemptionGrantSet in the file (docs/exemptions.md)` });
    }
    grants = checked.grants;
  }
  const auditor = new Auditor({
    level: args.level,
    pssVersion: args.pssVersion,
    only: args.only,
    allowedRegistries: args.allowedRegistries.length ? args.allowedRegistries : undefined,
    ...(grants ? { grants } : {}),
    ...(customRules.length ? { customRules } : {}),
    kubernetesVersion: args.kubernetesVersion,
  });
  const result = auditor.audit(manifests.objects, manifests.sources);
  return {
    result: locateFindings(result, new FieldLocator(manifests.texts)),
    inputErrors: manifests.errors,
    notes: manifests.notes,
    files: manifests.files,
    rules: selectRules(args.only, customRules.length ? [...RULES, ...customRules] : RULES),
    failOn: args.failOn,
    failOnUngranted: args.failOnUngranted,
  };
}

/**
 * `bulwark audit [options] <file|dir|->...`: audits manifests against the rule catalog. Input errors go to stderr
 * (and into the JSON/SARIF report); exit 0 clean, 1 findings at or above --fail-on, 2 usage or input errors.
 */
export const auditCommand: Command = async (argv: readonly string[], io: CliIo): Promise<number> => {
  let args: AuditArgs;
  let customRules: Rule[];
  try {
    const config = readBulwarkConfig(io.cwd);
    args = parseAuditArgs(argv, config.rules.length > 0);
    if (args.help) {
      io.stdout(AUDIT_HELP);
      return EXIT_OK;
    }
    customRules = loadCustomRules([...config.rules, ...args.rules], io.cwd).map((f) => f.rule);
    const selected = selectRules(args.only, [...RULES, ...customRules]);
    if (selected.some((r) => r.group === 'schema')) {
      const latest = args.kubernetesVersion === 'latest';
      openApiReleaseFor(latest ? undefined : parseKubernetesVersion(args.kubernetesVersion));
    }
  } catch (e) {
    if (e instanceof UnknownRuleError) io.stderr(`bulwark audit: --only: ${e.message}\n`);
    else if (e instanceof OpenApiReleaseError) io.stderr(`bulwark audit: --kubernetes-version: ${e.message}\n`);
    else if (e instanceof UsageError || e instanceof CustomRulesError || e instanceof BulwarkConfigError) {
      for (const line of e.message.split('\n')) io.stderr(`bulwark audit: ${line}\n`);
    } else throw e;
    return EXIT_USAGE;
  }
  let report: AuditReport;
  try {
    report = await runAudit(args, io, customRules);
  } catch (e) {
    if (!(e instanceof CustomRuleError)) throw e;
    io.stderr(`bulwark audit: ${e.message}\n`);
    return EXIT_USAGE;
  }
  for (const n of report.notes ?? []) io.stderr(`bulwark audit: note: ${formatInputError(n)}\n`);
  for (const e of report.inputErrors) io.stderr(`bulwark audit: ${formatInputError(e)}\n`);
  const toFile = args.output !== undefined && args.output !== '-';
  const text = render(args.format, report, !toFile && io.color === true);
  if (toFile) {
    const target = path.resolve(io.cwd, args.output as string);
    try {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, text);
    } catch (e) {
      io.stderr(
        `bulwark audit: --output: cannot write '${args.output}': ${e instanceof Error ? e.message : String(e)}\n`,
      );
      return EXIT_USAGE;
    }
    io.stderr(
      `bulwark audit: wrote the ${args.format} report to ${args.output}: ${formatSummary(summarize(report))}\n`,
    );
  } else {
    io.stdout(text);
  }
  return exitCodeOf(report);
};
