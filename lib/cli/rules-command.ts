import { CustomRulesError, loadCustomRules, testRuleFolder } from '../policy/custom-rules';
import { BulwarkConfigError, CONFIG_FILE, readBulwarkConfig } from './bulwark-config';
import { CliIo, Command, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from './cli-io';

export const RULES_HELP = `usage: bulwark rules test [<dir>...]

Tests a team's own rules as the catalog's rules are tested: each rule folder (<dir>/<rule-id>/) holds check.ts
exporting one rule (policy.defineRule), an optional cel.ts, and fixtures/pass/*.yaml and fixtures/fail/*.yaml.
It checks the folder is complete (references to OWASP plus CIS, NSA or PSS, a remediation, at least one pass and
one fail fixture, nothing unknown) and that the rule reports every fail fixture and no pass fixture. A fixture's
first line may set audit options: # audit-options: {"allowedRegistries": ["ghcr.io/acme"]}
Without <dir>, the "rules" of ${CONFIG_FILE} are tested.

exit codes: 0 every rule passes, 1 a rule fails, 2 usage errors or a rule that cannot be loaded
`;

/** `bulwark rules test [<dir>...]`: the catalog's meta-tests and fixture runs, for custom rule folders. */
export const rulesCommand: Command = async (argv: readonly string[], io: CliIo): Promise<number> => {
  const [sub, ...dirs] = argv;
  if (sub === '--help' || sub === '-h' || (sub === 'test' && dirs.some((d) => d === '--help' || d === '-h'))) {
    io.stdout(RULES_HELP);
    return EXIT_OK;
  }
  if (sub !== 'test') {
    io.stderr(
      `bulwark rules: ${sub === undefined ? 'missing subcommand' : `unknown subcommand '${sub}'`}: use test\n\n${RULES_HELP}`,
    );
    return EXIT_USAGE;
  }
  const option = dirs.find((d) => d.startsWith('-'));
  if (option !== undefined) {
    io.stderr(`bulwark rules test: unknown option '${option}': give directories of rule folders (see --help)\n`);
    return EXIT_USAGE;
  }
  let folders;
  try {
    const chosen = dirs.length > 0 ? dirs : readBulwarkConfig(io.cwd).rules;
    if (chosen.length === 0) {
      io.stderr(`bulwark rules test: no rule directory: give one, or list them in ${CONFIG_FILE} ("rules")\n`);
      return EXIT_USAGE;
    }
    folders = loadCustomRules(chosen, io.cwd);
  } catch (e) {
    if (!(e instanceof CustomRulesError || e instanceof BulwarkConfigError)) throw e;
    for (const line of e.message.split('\n')) io.stderr(`bulwark rules test: ${line}\n`);
    return EXIT_USAGE;
  }
  let failed = 0;
  for (const folder of folders) {
    const t = await testRuleFolder(folder, io.cwd);
    const fixtures = `${t.passFixtures} pass, ${t.failFixtures} fail fixture${t.passFixtures + t.failFixtures === 1 ? '' : 's'}`;
    if (t.problems.length === 0) {
      io.stdout(`ok    ${t.id} (${fixtures})\n`);
      continue;
    }
    failed++;
    io.stdout(`FAIL  ${t.id} (${t.dir})\n`);
    for (const p of t.problems) io.stdout(`      ${p}\n`);
  }
  io.stdout(`${folders.length} rule${folders.length === 1 ? '' : 's'}, ${failed} failed\n`);
  return failed > 0 ? EXIT_FINDINGS : EXIT_OK;
};
