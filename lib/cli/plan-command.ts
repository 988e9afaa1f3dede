import { CliIo, Command, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from './cli-io';

const HELP = `usage: bulwark plan --stack <name> [--json]

Runs the cluster program of stacks/Pulumi.<name>.yaml offline, under pulumi.runtime.setMocks (no Pulumi CLI, no
cloud credentials), and prints the resources it would create and the posture checklist: each hardening control with
the resource property that proves it.

options:
  --stack <name>  stack to plan (a stacks/Pulumi.<name>.yaml file)
  --json          machine-readable output
  -h, --help      this help

exit codes: 0 every control passes, 1 a posture control fails, 2 usage, config or program errors
`;

interface PlanArgs {
  readonly stack: string;
  readonly json: boolean;
}

function parseArgs(argv: readonly string[]): PlanArgs | 'help' | string {
  let stack: string | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') return 'help';
    else if (a === '--json') json = true;
    else if (a === '--stack') {
      stack = argv[++i];
      if (stack === undefined || stack.startsWith('-')) return "--stack needs a stack name, e.g. '--stack eks-prod'";
    } else if (a.startsWith('--stack=')) stack = a.slice('--stack='.length);
    else return `unknown option '${a}'`;
  }
  if (stack === undefined || stack === '') return "missing --stack <name>, e.g. 'bulwark plan --stack eks-prod'";
  if (!/^[\w.-]+$/.test(stack)) return `stack name '${stack}' may contain only letters, digits, '_', '.' and '-'`;
  return { stack, json };
}

/** `bulwark plan --stack <name> [--json]`: loads Pulumi and the one cloud SDK of that stack, only when run. */
export const planCommand: Command = async (argv: readonly string[], io: CliIo): Promise<number> => {
  const args = parseArgs(argv);
  if (args === 'help') {
    io.stdout(HELP);
    return EXIT_OK;
  }
  if (typeof args === 'string') {
    io.stderr(`bulwark plan: ${args}\n\n${HELP}`);
    return EXIT_USAGE;
  }
  const { planStack, StackNotFoundError } =
    require('../cluster/plan/plan-stack') as typeof import('../cluster/plan/plan-stack');
  const { formatPlanText, planJson, summarize } =
    require('../cluster/plan/plan-report') as typeof import('../cluster/plan/plan-report');
  const { ConfigError } = require('../cluster/config/config-error') as typeof import('../cluster/config/config-error');
  const { MockRunError } =
    require('../cluster/plan/run-under-mocks') as typeof import('../cluster/plan/run-under-mocks');
  try {
    const plan = await planStack(args.stack, { cwd: io.cwd });
    io.stdout(args.json ? `${JSON.stringify(planJson(plan), null, 2)}\n` : formatPlanText(plan));
    return summarize(plan).failed > 0 ? EXIT_FINDINGS : EXIT_OK;
  } catch (e) {
    if (e instanceof ConfigError || e instanceof StackNotFoundError || e instanceof MockRunError) {
      io.stderr(`bulwark plan: ${e.message}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
};
