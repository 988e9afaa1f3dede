import { NEWEST_OPENAPI_RELEASE, OPENAPI_RELEASES } from '../k8s/openapi-schema';
import { NEWEST_KUBERNETES_MINOR, OLDEST_KUBERNETES_MINOR, parseKubernetesVersion } from '../policy/api-versions';
import { RULES, selectRules, UnknownRuleError } from '../policy/catalog';
import { NEWEST_PSS_MINOR, parsePssVersion, PSS_LEVELS, PssLevel } from '../policy/pss-version';
import { RULE_GROUPS, Severity } from '../policy/rule';
import { closestName } from '../util/closest-name';
import { DEFAULT_MAX_FILE_MIB } from '../manifest/manifests';
import { UsageError } from './cli-io';
import { oneOf, parseOptions } from './parse-options';

export type AuditFormat = 'text' | 'json' | 'sarif';
export const AUDIT_FORMATS: readonly AuditFormat[] = ['text', 'json', 'sarif'];
export const FAIL_ON_LEVELS: readonly Severity[] = ['error', 'warning'];
/** `--fail-on` values: a severity threshold and/or `ungranted-exemption`. */
export const UNGRANTED_EXEMPTION = 'ungranted-exemption';
export const FAIL_ON_VALUES: readonly string[] = [...FAIL_ON_LEVELS, UNGRANTED_EXEMPTION];

/** `bulwark audit` options, validated. */
export interface AuditArgs {
  readonly inputs: readonly string[];
  readonly format: AuditFormat;
  readonly level: PssLevel;
  /** As given (`v1.30`, `latest`), already validated. */
  readonly pssVersion: string;
  /** Rule ids and groups, validated against the catalog; empty means every rule. */
  readonly only: readonly string[];
  readonly failOn: Severity;
  /** `--fail-on ungranted-exemption`: an exemption declared by annotation only (no grant) fails the audit. */
  readonly failOnUngranted: boolean;
  /** `--exemptions <file>`: the grants (ExemptionGrantSet YAML) exemption annotations are checked against. */
  readonly exemptions?: string;
  readonly allowedRegistries: readonly string[];
  /** As given (`v1.29`, `latest`), already validated. */
  readonly kubernetesVersion: string;
  readonly output?: string;
  /** Largest input file (or standard input) read, in MiB. */
  readonly maxFileMib: number;
  /** Globs of files and folders to leave out. */
  readonly exclude: readonly string[];
  /** Non-Kubernetes YAML found in a directory is an input error rather than a note. */
  readonly strict: boolean;
  /** `--rules <dir>`: directories of custom rule folders (custom-rules.ts), beside bulwark.config.json's. */
  readonly rules: readonly string[];
  readonly help: boolean;
}

export const AUDIT_HELP = `usage: bulwark audit [options] <file|dir|->...

Audits Kubernetes manifests against the bulwark rule catalog. Inputs are YAML (multi-document, List kinds expanded)
or JSON files, directories (searched recursively for *.yaml, *.yml and *.json) and - for standard input:

  helm template my-release ./chart | bulwark audit -
  bulwark audit --format sarif --output bulwark.sarif manifests/

options:
  --format text|json|sarif       report format (default: text)
  --level baseline|restricted    Pod Security Standards level to enforce (default: restricted)
  --pss-version vX.Y|latest      Pod Security Standards version, v1.0 to v1.${NEWEST_PSS_MINOR} (default: latest)
  --only <ids or groups>         run only these rules or groups, comma-separated, repeatable
                                 (groups: ${RULE_GROUPS.join(', ')})
  --fail-on <list>               what fails the audit, comma-separated: error or warning (the lowest severity,
                                 default: error) and/or ${UNGRANTED_EXEMPTION} (an exemption without a grant)
  --exemptions <grants.yaml>     the exemption grants (ExemptionGrantSet, docs/exemptions.md): an annotation
                                 exemption without a matching, unexpired grant is reported as a finding
  --allowed-registries <a,b>     registries images may come from, comma-separated, repeatable (default: any)
  --kubernetes-version vX.Y|latest
                                 Kubernetes release the manifests target, v1.${OLDEST_KUBERNETES_MINOR} to v1.${NEWEST_KUBERNETES_MINOR} (a patch number
                                 is ignored), for removed and deprecated API versions and the schema rules' OpenAPI
                                 schemas, ${OPENAPI_RELEASES[0]} to ${NEWEST_OPENAPI_RELEASE} (default: latest)
  --output <file>                write the report to this file instead of standard output
  --max-file-size <MiB>          largest input file or standard input read (default: ${DEFAULT_MAX_FILE_MIB})
  --exclude <glob>               leave out files and folders matching the glob (relative to the directory given, or
                                 a name at any depth when it has no /), repeatable: --exclude 'charts/**/templates'
  --strict                       a file found in a directory without any apiVersion or kind (swagger, app config) is
                                 an input error; by default it is skipped with a note
  --rules <dir>                  also run the team's own rules: a directory of rule folders (<rule-id>/check.ts
                                 and fixtures), repeatable; bulwark.config.json's "rules" are added (docs/audit.md)
  -h, --help                     show this help

Objects ask for an exemption with the annotation exempt.bulwark.dev/<rule-id>: <reason>; the platform team grants
it (ExemptionGrantSet). Without --exemptions every exempted finding is listed as "not granted" (annotation only) and
fails the audit only with --fail-on ${UNGRANTED_EXEMPTION}; with it, only granted exemptions exempt.

exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage or input errors (input errors win)
`;

const VALUE_OPTIONS = [
  '--format',
  '--level',
  '--pss-version',
  '--only',
  '--fail-on',
  '--allowed-registries',
  '--kubernetes-version',
  '--output',
  '--max-file-size',
  '--exemptions',
  '--exclude',
  '--rules',
] as const;
const FLAG_OPTIONS = ['--strict'] as const;
function splitList(option: string, value: string): string[] {
  const items = value.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) {
    throw new UsageError(`${option}: empty item in '${value}': give a comma-separated list without empty entries`);
  }
  return items;
}

/** The closest rule id or group, when one is close enough to be a typo. */
function suggestion(selector: string): string | undefined {
  const names = [...RULE_GROUPS, ...RULES.map((r) => r.id)];
  return closestName(selector, names, Math.max(2, Math.floor(selector.length / 4)));
}

/** Parses `bulwark audit` arguments; throws UsageError naming the option, the value received and what is allowed. */
export function parseAuditArgs(argv: readonly string[], customRules = false): AuditArgs {
  const { inputs, values, flags, help } = parseOptions(argv, VALUE_OPTIONS, FLAG_OPTIONS);
  // With custom rules, --only may name their ids: runAudit checks the selectors once they are loaded.
  const deferOnly = customRules || (values.get('--rules') ?? []).length > 0;
  const rules: string[] = [];
  const exclude: string[] = [];
  let format: AuditFormat = 'text';
  let level: PssLevel = 'restricted';
  let pssVersion = 'latest';
  const only: string[] = [];
  let failOn: Severity = 'error';
  let failOnUngranted = false;
  let exemptions: string | undefined;
  const allowedRegistries: string[] = [];
  let kubernetesVersion = 'latest';
  let output: string | undefined;
  let maxFileMib = DEFAULT_MAX_FILE_MIB;

  for (const name of VALUE_OPTIONS) {
    for (const value of values.get(name) ?? []) {
      switch (name) {
        case '--format':
          format = oneOf(name, value, AUDIT_FORMATS);
          break;
        case '--level':
          level = oneOf(name, value, PSS_LEVELS);
          break;
        case '--pss-version':
          if (parsePssVersion(value) === undefined) {
            throw new UsageError(
              `${name}: invalid value '${value}': use vX.Y (v1.0 to v1.${NEWEST_PSS_MINOR}) or latest`,
            );
          }
          pssVersion = value;
          break;
        case '--only':
          for (const selector of splitList(name, value)) {
            try {
              selectRules([selector]);
            } catch (e) {
              if (!(e instanceof UnknownRuleError)) throw e;
              if (deferOnly) {
                if (!only.includes(selector)) only.push(selector);
                continue;
              }
              const close = suggestion(selector);
              throw new UsageError(`${name}: ${e.message}${close ? `; did you mean '${close}'?` : ''}`);
            }
            if (!only.includes(selector)) only.push(selector);
          }
          break;
        case '--fail-on':
          for (const item of splitList(name, value)) {
            if (oneOf(name, item, FAIL_ON_VALUES) === UNGRANTED_EXEMPTION) failOnUngranted = true;
            else failOn = item as Severity;
          }
          break;
        case '--exemptions':
          exemptions = value;
          break;
        case '--allowed-registries':
          allowedRegistries.push(...splitList(name, value));
          break;
        case '--kubernetes-version':
          if (parseKubernetesVersion(value) === undefined) {
            throw new UsageError(
              `${name}: invalid value '${value}': use vX.Y (v1.${OLDEST_KUBERNETES_MINOR} to v1.${NEWEST_KUBERNETES_MINOR}) or latest`,
            );
          }
          kubernetesVersion = value;
          break;
        case '--output':
          output = value;
          break;
        case '--max-file-size':
          if (!/^[0-9]+(\.[0-9]+)?$/.test(value) || Number(value) <= 0) {
            throw new UsageError(`${name}: invalid value '${value}': give a size in MiB, for example 256`);
          }
          maxFileMib = Number(value);
          break;
        case '--exclude':
          exclude.push(value);
          break;
        case '--rules':
          rules.push(value);
          break;
      }
    }
  }
  if (!help && inputs.length === 0) {
    throw new UsageError('no input: give files, directories or - for standard input (see --help)');
  }
  return {
    inputs,
    format,
    level,
    pssVersion,
    only,
    failOn,
    failOnUngranted,
    allowedRegistries,
    maxFileMib,
    kubernetesVersion,
    exclude,
    strict: flags.has('--strict'),
    rules,
    help,
    ...(output ? { output } : {}),
    ...(exemptions !== undefined ? { exemptions } : {}),
  };
}
