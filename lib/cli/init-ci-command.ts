import * as fs from 'fs';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { isPinnedByDigest } from '../k8s/image-ref';
import { ImageSigner, ImageSignerError, parseImageSigners } from '../policy/image-signers';
import { gitlabPipeline, GitlabImages } from './ci-gitlab-pipeline';
import { CiTemplateOptions, DEFAULT_CI_OPTIONS, githubWorkflow } from './ci-github-workflow';
import { CliIo, Command, EXIT_OK, EXIT_USAGE, UsageError } from './cli-io';

export const GITHUB_WORKFLOW_PATH = '.github/workflows/bulwark.yml';
export const GITLAB_PIPELINE_PATH = '.gitlab-ci.yml';

export const INIT_CI_HELP = `usage: bulwark init-ci --github|--gitlab [options]

Writes a CI pipeline that synthesizes the manifests, audits them (SARIF: uploaded to GitHub code scanning, an
artifact on GitLab), writes the posture report as an artifact, scans every image with Trivy (failing on fixable
critical and high vulnerabilities), verifies every image's Cosign signature against the allowed signers, and on
pushes to the branch attaches an SBOM (CycloneDX) and a vulnerability-scan attestation to each image the project
owns with 'cosign attest'. The same options always give the same file.

  bulwark init-ci --github --signers signers.yaml
  bulwark init-ci --gitlab --node-image node:22@sha256:... --trivy-image aquasec/trivy:0.70.0@sha256:... \\
    --cosign-image cgr.dev/chainguard/cosign:latest-dev@sha256:...

Files: ${GITHUB_WORKFLOW_PATH} (--github), ${GITLAB_PIPELINE_PATH} (--gitlab), under --dir. An existing file is
never replaced without --force; on any error nothing is written.

options:
  --github                   write the GitHub Actions workflow (actions pinned by commit SHA)
  --gitlab                   write the GitLab pipeline (needs the three --*-image options)
  --signers <file>           YAML list of allowed signers, as in a stack's bulwark:signers:
                               - { name: release, key: "-----BEGIN PUBLIC KEY-----\\n..." }
                               - { name: ci, issuer: https://token.actions.githubusercontent.com,
                                   subjectRegExp: "^https://github\\\\.com/acme/app/\\\\.github/workflows/[^@]+@refs/heads/main$" }
                             (default: images signed keyless by this repository's own CI on --branch)
  --synth <command>          command that writes the manifests (default: ${DEFAULT_CI_OPTIONS.synthCommand})
  --manifests <dir>          folder of the manifests (default: ${DEFAULT_CI_OPTIONS.manifests})
  --branch <name>            branch whose pushes attest images (default: ${DEFAULT_CI_OPTIONS.branch})
  --attest-prefix <prefix>   attest only images under this registry path (default: GitHub ghcr.io/<owner>/,
                             GitLab $CI_REGISTRY_IMAGE/)
  --node-version <major>     Node.js major (default: ${DEFAULT_CI_OPTIONS.nodeVersion})
  --node-image <ref@digest>, --trivy-image <ref@digest>, --cosign-image <ref@digest>
                             GitLab job images, pinned by digest (Trivy's and Cosign's with a shell); resolve a
                             digest with 'crane digest <image:tag>'
  --dir <dir>                project folder (default: the working directory)
  --force                    replace existing files
  -h, --help                 show this help

exit codes: 0 written, 2 usage errors, an existing file without --force, or a file that cannot be written
`;

const VALUE_OPTIONS = [
  '--signers',
  '--synth',
  '--manifests',
  '--branch',
  '--attest-prefix',
  '--node-version',
  '--node-image',
  '--trivy-image',
  '--cosign-image',
  '--dir',
] as const;
const FLAGS = ['--github', '--gitlab', '--force', '--help', '-h'] as const;

export interface InitCiArgs {
  readonly github: boolean;
  readonly gitlab: boolean;
  readonly force: boolean;
  readonly help: boolean;
  readonly dir: string;
  readonly signersFile?: string;
  readonly options: Omit<CiTemplateOptions, 'signers'>;
  readonly images: Partial<GitlabImages>;
}

/** A value written into a workflow: one line, and no CI expression the runner would evaluate. */
function literal(option: string, value: string, pattern?: RegExp, allowed?: string): string {
  if (/[\r\n]/.test(value)) throw new UsageError(`${option}: '${value}' spans lines: give a single line`);
  if (value.includes('${{') || value.includes('$[[')) {
    throw new UsageError(`${option}: '${value}' contains a CI expression ('\${{' or '$[['): give a literal value`);
  }
  if (pattern && !pattern.test(value)) throw new UsageError(`${option}: invalid value '${value}': ${allowed}`);
  return value;
}

export function parseInitCiArgs(argv: readonly string[]): InitCiArgs {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if ((FLAGS as readonly string[]).includes(arg)) {
      flags.add(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (!(VALUE_OPTIONS as readonly string[]).includes(name)) {
      throw new UsageError(`unknown option or argument '${arg}': see --help (init-ci takes no inputs)`);
    }
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || value === '' || (eq === -1 && value.startsWith('--'))) {
      throw new UsageError(`${name}: missing value: ${name} needs a value (see --help)`);
    }
    values.set(name, value);
  }
  const help = flags.has('--help') || flags.has('-h');
  const github = flags.has('--github');
  const gitlab = flags.has('--gitlab');
  if (!help && !github && !gitlab) throw new UsageError('say which CI: --github, --gitlab or both');
  const v = (n: (typeof VALUE_OPTIONS)[number]) => values.get(n);
  const options = {
    synthCommand: literal('--synth', v('--synth') ?? DEFAULT_CI_OPTIONS.synthCommand),
    manifests: literal(
      '--manifests',
      v('--manifests') ?? DEFAULT_CI_OPTIONS.manifests,
      /^[A-Za-z0-9._][A-Za-z0-9._/-]*$/,
      'a relative folder of letters, digits, ., _, - and /',
    ),
    branch: literal(
      '--branch',
      v('--branch') ?? DEFAULT_CI_OPTIONS.branch,
      /^(?!.*\.\.)[A-Za-z0-9_][A-Za-z0-9._/-]*$/,
      'a branch name of letters, digits, ., _, - and /',
    ),
    nodeVersion: literal(
      '--node-version',
      v('--node-version') ?? DEFAULT_CI_OPTIONS.nodeVersion,
      /^[0-9]{2}$/,
      'a Node.js major, e.g. 22',
    ),
    ...(v('--attest-prefix') !== undefined
      ? {
          attestPrefix: literal(
            '--attest-prefix',
            v('--attest-prefix') as string,
            /^[a-z0-9.-]+(:[0-9]+)?\/[a-z0-9._/-]*$/,
            'a registry path such as ghcr.io/acme/',
          ),
        }
      : {}),
  };
  const images: { -readonly [K in keyof GitlabImages]?: string } = {};
  for (const [key, option] of [
    ['node', '--node-image'],
    ['trivy', '--trivy-image'],
    ['cosign', '--cosign-image'],
  ] as const) {
    const value = v(option);
    if (value === undefined) continue;
    literal(option, value);
    if (!isPinnedByDigest(value)) {
      throw new UsageError(
        `${option}: '${value}' is not pinned by digest: give image:tag@sha256:<digest> (resolve it with 'crane digest ${value}')`,
      );
    }
    images[key] = value;
  }
  if (gitlab && !help) {
    const missing = (['--node-image', '--trivy-image', '--cosign-image'] as const).filter((o) => v(o) === undefined);
    if (missing.length) {
      throw new UsageError(
        `--gitlab needs ${missing.join(', ')}: GitLab runs every job in a container image, and bulwark pins each by a digest you resolved (e.g. 'crane digest aquasec/trivy:0.70.0'); a tag could be re-pushed`,
      );
    }
  }
  return {
    github,
    gitlab,
    help,
    force: flags.has('--force'),
    dir: v('--dir') ?? '.',
    options,
    images,
    ...(v('--signers') !== undefined ? { signersFile: v('--signers') } : {}),
  };
}

const MAX_SIGNERS_BYTES = 1024 * 1024;

/** Reads and validates a signers file; throws UsageError naming the file, where in it and why. */
export function readSignersFile(file: string, cwd: string): ImageSigner[] {
  const abs = path.resolve(cwd, file);
  let text: string;
  try {
    const st = fs.statSync(abs);
    if (!st.isFile()) throw new UsageError(`--signers: '${file}' is not a regular file`);
    if (st.size > MAX_SIGNERS_BYTES) throw new UsageError(`--signers: '${file}' is larger than 1 MiB`);
    text = fs.readFileSync(abs, 'utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`--signers: cannot read '${file}': ${(e as Error).message}`);
  }
  let value: unknown;
  try {
    value = parseYaml(text, { maxAliasCount: 0, uniqueKeys: true });
  } catch (e) {
    throw new UsageError(`--signers: '${file}' is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  try {
    return parseImageSigners(value, file);
  } catch (e) {
    if (e instanceof ImageSignerError) throw new UsageError(`--signers: ${e.message}`);
    throw e;
  }
}

/**
 * Writes every file or none: each goes to a temporary file beside its target first, and only when all are written are
 * they renamed into place (a rename replaces a symbolic link at the target, never writes through it).
 */
function writeAll(files: readonly { abs: string; text: string }[]): void {
  const staged: { tmp: string; abs: string }[] = [];
  try {
    for (const f of files) {
      fs.mkdirSync(path.dirname(f.abs), { recursive: true });
      const tmp = `${f.abs}.bulwark-${process.pid}.tmp`;
      fs.writeFileSync(tmp, f.text, { flag: 'wx', mode: 0o644 });
      staged.push({ tmp, abs: f.abs });
    }
  } catch (e) {
    for (const s of staged) fs.rmSync(s.tmp, { force: true });
    throw e;
  }
  for (const s of staged) fs.renameSync(s.tmp, s.abs);
}

function exists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/** `bulwark init-ci --github|--gitlab [options]`: writes the CI templates; all or nothing. */
export const initCiCommand: Command = async (argv: readonly string[], io: CliIo): Promise<number> => {
  let args: InitCiArgs;
  let files: { rel: string; text: string }[];
  try {
    args = parseInitCiArgs(argv);
    if (args.help) {
      io.stdout(INIT_CI_HELP);
      return EXIT_OK;
    }
    const signers = args.signersFile !== undefined ? readSignersFile(args.signersFile, io.cwd) : [];
    const options: CiTemplateOptions = { ...args.options, signers };
    files = [];
    if (args.github) files.push({ rel: GITHUB_WORKFLOW_PATH, text: githubWorkflow(options) });
    if (args.gitlab)
      files.push({ rel: GITLAB_PIPELINE_PATH, text: gitlabPipeline(options, args.images as GitlabImages) });
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`bulwark init-ci: ${e.message}\n`);
    return EXIT_USAGE;
  }
  const root = path.resolve(io.cwd, args.dir);
  const present = files.filter((f) => exists(path.join(root, f.rel)));
  if (present.length && !args.force) {
    for (const f of present) {
      io.stderr(
        `bulwark init-ci: ${path.join(args.dir, f.rel)} exists: nothing written; rerun with --force to replace it\n`,
      );
    }
    return EXIT_USAGE;
  }
  try {
    writeAll(files.map((f) => ({ abs: path.join(root, f.rel), text: f.text })));
  } catch (e) {
    io.stderr(`bulwark init-ci: cannot write under ${args.dir}: ${(e as Error).message}; nothing written\n`);
    return EXIT_USAGE;
  }
  for (const f of files) io.stdout(`wrote ${path.join(args.dir, f.rel)}\n`);
  return EXIT_OK;
};
