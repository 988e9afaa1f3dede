import { parseAuditArgs } from '../../lib/cli/audit-args';
import { UsageError } from '../../lib/cli/cli-io';
import { RULE_GROUPS } from '../../lib/policy';

function usageError(argv: string[]): string {
  try {
    parseAuditArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) return e.message;
    throw e;
  }
  throw new Error(`no usage error for ${argv.join(' ')}`);
}

describe('parseAuditArgs', () => {
  it('has the documented defaults', () => {
    expect(parseAuditArgs(['manifests/'])).toEqual({
      inputs: ['manifests/'],
      format: 'text',
      level: 'restricted',
      pssVersion: 'latest',
      only: [],
      failOn: 'error',
      failOnUngranted: false,
      allowedRegistries: [],
      maxFileMib: 64,
      kubernetesVersion: 'latest',
      exclude: [],
      strict: false,
      rules: [],
      help: false,
    });
  });

  it('reads every option, as --opt value and --opt=value, with repeatable comma-separated lists', () => {
    expect(
      parseAuditArgs([
        '--format',
        'sarif',
        '--level=baseline',
        '--pss-version',
        'v1.25',
        '--only',
        'pss,service-nodeport',
        '--only=pss',
        '--fail-on',
        'warning,ungranted-exemption',
        '--exemptions',
        'platform/grants.yaml',
        '--allowed-registries',
        'ghcr.io/acme, registry.k8s.io',
        '--allowed-registries=quay.io',
        '--kubernetes-version',
        'v1.24',
        '--output',
        'out/report.sarif',
        '--exclude',
        'charts/**',
        '--strict',
        '--exclude=*.tpl.yaml',
        '--rules',
        'policies',
        '--rules=more-policies',
        '--only',
        'team-owner-label',
        '-',
        'a.yaml',
        '--',
        '--weird-file.yaml',
      ]),
    ).toEqual({
      inputs: ['-', 'a.yaml', '--weird-file.yaml'],
      format: 'sarif',
      level: 'baseline',
      pssVersion: 'v1.25',
      // team-owner-label is not a catalog rule: with --rules it is checked once the custom rules are loaded
      only: ['pss', 'service-nodeport', 'team-owner-label'],
      failOn: 'warning',
      failOnUngranted: true,
      exemptions: 'platform/grants.yaml',
      allowedRegistries: ['ghcr.io/acme', 'registry.k8s.io', 'quay.io'],
      kubernetesVersion: 'v1.24',
      output: 'out/report.sarif',
      maxFileMib: 64,
      exclude: ['charts/**', '*.tpl.yaml'],
      strict: true,
      rules: ['policies', 'more-policies'],
      help: false,
    });
  });

  it('takes a Kubernetes release with or without its v and patch number', () => {
    for (const v of ['1.34', 'v1.34', '1.34.0', 'v1.34.12']) {
      expect(parseAuditArgs(['--kubernetes-version', v, 'a.yaml']).kubernetesVersion).toBe(v);
    }
  });

  it('refuses a Kubernetes version outside the known releases, with what is allowed', () => {
    for (const v of ['1.15', 'v2.0', 'v1.99', 'newest', '1.34.0.1', '1.34.', 'v1.34.01', ' 1.34']) {
      expect(() => parseAuditArgs(['--kubernetes-version', v, 'a.yaml'])).toThrow(
        `--kubernetes-version: invalid value '${v}': use vX.Y (v1.16 to v1.37) or latest`,
      );
    }
  });

  it('accepts --help and -h without inputs', () => {
    expect(parseAuditArgs(['--help']).help).toBe(true);
    expect(parseAuditArgs(['-h']).help).toBe(true);
  });

  it('names the option, the value and what is allowed', () => {
    expect(usageError(['--format', 'xml', 'a.yaml'])).toBe("--format: invalid value 'xml': use text, json, sarif");
    expect(usageError(['--level=privileged', 'a.yaml'])).toBe(
      "--level: invalid value 'privileged': use baseline, restricted",
    );
    expect(usageError(['--fail-on', 'info', 'a.yaml'])).toBe(
      "--fail-on: invalid value 'info': use error, warning, ungranted-exemption",
    );
    expect(usageError(['--pss-version', 'v2.0', 'a.yaml'])).toBe(
      "--pss-version: invalid value 'v2.0': use vX.Y (v1.0 to v1.37) or latest",
    );
    expect(usageError(['--allowed-registries', 'a,,b', 'a.yaml'])).toBe(
      "--allowed-registries: empty item in 'a,,b': give a comma-separated list without empty entries",
    );
  });

  it('refuses unknown rules in --only, listing the groups and suggesting a close rule id', () => {
    const groups = RULE_GROUPS.join(', ');
    expect(usageError(['--only', 'nope', 'a.yaml'])).toBe(
      `--only: unknown rule or group 'nope': use a group (${groups}) or a rule id (see docs/rules.md)`,
    );
    expect(usageError(['--only', 'pss,service-nodepor', 'a.yaml'])).toBe(
      `--only: unknown rule or group 'service-nodepor': use a group (${groups}) or a rule id (see docs/rules.md); did you mean 'service-nodeport'?`,
    );
  });

  it('refuses unknown options, missing values and missing inputs', () => {
    expect(usageError(['--formt', 'json', 'a.yaml'])).toBe(
      "unknown option '--formt': use --format, --level, --pss-version, --only, --fail-on, --allowed-registries, --kubernetes-version, --output, --max-file-size, --exemptions, --exclude, --rules, --strict or --help (inputs are files, directories or -)",
    );
    expect(usageError(['-x', 'a.yaml'])).toBe(
      "unknown option '-x': use --format, --level, --pss-version, --only, --fail-on, --allowed-registries, --kubernetes-version, --output, --max-file-size, --exemptions, --exclude, --rules, --strict or --help (inputs are files, directories or -)",
    );
    expect(usageError(['a.yaml', '--format'])).toBe('--format: missing value: --format needs a value (see --help)');
    expect(usageError(['--only', '--format', 'json', 'a.yaml'])).toBe(
      '--only: missing value: --only needs a value (see --help)',
    );
    expect(usageError(['--format', 'json'])).toBe(
      'no input: give files, directories or - for standard input (see --help)',
    );
  });
});
