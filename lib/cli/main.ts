import { CliIo, Command, EXIT_USAGE } from './cli-io';

/**
 * Commands are loaded lazily so that `bulwark audit` never loads cdk8s or a cloud SDK, and `bulwark plan` only the
 * SDK of the stack it plans.
 */
const COMMANDS: Readonly<Record<string, { summary: string; load: () => Command }>> = {
  audit: {
    summary: 'audit manifests (files, directories or - for stdin) against the rule catalog',
    load: () => require('./audit-command').auditCommand,
  },
  rules: {
    summary: "test a team's own rules (bulwark rules test <dir>): completeness and their pass/fail fixtures",
    load: () => require('./rules-command').rulesCommand,
  },
  graph: {
    summary: 'who can reach whom under the NetworkPolicies of manifests, as Mermaid, SVG or HTML',
    load: () => require('./graph-command').graphCommand,
  },
  report: {
    summary: 'posture report of manifests (HTML or Markdown): findings, exemptions, namespaces, network graph',
    load: () => require('./report-command').reportCommand,
  },
  images: {
    summary: 'every image the manifests run (containers, init, sidecars, ephemeral), pinned by digest or not',
    load: () => require('./images-command').imagesCommand,
  },
  'init-ci': {
    summary: 'write a CI pipeline (--github, --gitlab): synth, audit, Trivy, Cosign verify, attestations',
    load: () => require('./init-ci-command').initCiCommand,
  },
  synth: {
    summary: 'synthesize the example stacks to dist/ and audit them',
    load: () => require('./synth-command').synthCommand,
  },
  pin: {
    summary: 'resolve image tags to digests in the images lock (bulwark.images.lock) that the constructs read',
    load: () => require('./pin-command').pinCommand,
  },
  plan: {
    summary: 'offline plan of a cluster stack (no cloud credentials): resources and posture checklist',
    load: () => require('./plan-command').planCommand,
  },
};

export function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`);
  return `usage: bulwark <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun 'bulwark <command> --help' for a command's options.\n`;
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(usage());
    return name === undefined ? EXIT_USAGE : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`bulwark: unknown command '${name}'\n\n${usage()}`);
    return EXIT_USAGE;
  }
  return command.load()(rest, io);
}

export function processIo(): CliIo {
  // `bulwark audit … | head`: a closed pipe ends the output quietly, as for any Unix tool.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    readStdin: (maxBytes = Number.POSITIVE_INFINITY) =>
      new Promise((resolve, reject) => {
        if (process.stdin.isTTY) {
          reject(
            new Error(
              "'-' reads manifests from stdin, but stdin is a terminal: pipe them in, e.g. helm template x | bulwark audit -",
            ),
          );
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        process.stdin.on('data', (c: Buffer) => {
          chunks.push(c);
          size += c.length;
          // Past the limit: stop reading (/dev/zero never ends) and hand over what tells the caller it is too large.
          if (size > maxBytes) {
            process.stdin.removeAllListeners('data');
            process.stdin.destroy();
            resolve(Buffer.concat(chunks));
          }
        });
        process.stdin.on('end', () => resolve(Buffer.concat(chunks)));
        process.stdin.on('error', reject);
      }),
    cwd: process.cwd(),
    color: process.stdout.isTTY === true && !process.env.NO_COLOR,
  };
}
