import { validateWorkflow } from '@action-validator/core';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { ACTION_PINS } from '../../lib/cli/ci-action-pins';
import { gitlabPipeline } from '../../lib/cli/ci-gitlab-pipeline';
import { DEFAULT_CI_OPTIONS, githubWorkflow } from '../../lib/cli/ci-github-workflow';
import { GITHUB_WORKFLOW_PATH, GITLAB_PIPELINE_PATH, INIT_CI_HELP, initCiCommand } from '../../lib/cli/init-ci-command';
import { ImageSigner, parseImageSigners } from '../../lib/policy/image-signers';
import { captureIo } from '../helpers/capture-io';

type Job = {
  permissions?: Record<string, string> | string;
  if?: string;
  'timeout-minutes'?: number;
  steps: { uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> }[];
};
type Workflow = { on: Record<string, unknown>; permissions: unknown; jobs: Record<string, Job> };

const PEM = '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEabc+def/123=\n-----END PUBLIC KEY-----\n';
const SIGNERS: ImageSigner[] = parseImageSigners([
  { name: 'release-key', key: PEM },
  {
    name: 'ci',
    issuer: 'https://token.actions.githubusercontent.com',
    subject: 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main',
  },
  {
    name: 'ci-any',
    issuer: 'https://token.actions.githubusercontent.com',
    subjectRegExp: '^https://github\\.com/acme/[^/]+/\\.github/workflows/release\\.yml@refs/heads/main$',
  },
]);
const D = 'c'.repeat(64);
const GITLAB_IMAGES = {
  node: `node:22@sha256:${'1'.repeat(64)}`,
  trivy: `aquasec/trivy:0.70.0@sha256:${'2'.repeat(64)}`,
  cosign: `cgr.dev/chainguard/cosign:latest-dev@sha256:${'3'.repeat(64)}`,
};

/**
 * What makes a workflow an attacker's way in: returns one line per problem. The generated workflows must have none;
 * each check is shown to catch its hole on a workflow with that hole.
 */
function workflowProblems(text: string): string[] {
  const wf = parse(text) as Workflow;
  const out: string[] = [];
  for (const trigger of ['pull_request_target', 'workflow_run']) {
    if (trigger in wf.on) out.push(`trigger ${trigger} runs with write tokens on untrusted code`);
  }
  if (JSON.stringify(wf.permissions) !== '{}') out.push('the workflow-level token has permissions');
  for (const [name, job] of Object.entries(wf.jobs)) {
    if (job.permissions === undefined) out.push(`${name}: no permissions block (inherits the default token)`);
    if (job['timeout-minutes'] === undefined) out.push(`${name}: no timeout`);
    const perms = typeof job.permissions === 'object' ? job.permissions : {};
    const writes = Object.entries(perms)
      .filter(([, v]) => v === 'write')
      .map(([k]) => k);
    const runsProjectCode = job.steps.some(
      (s) => (s.uses ?? '').startsWith('actions/checkout@') || /\bnpm\b|\bnpx\b|\bnode\b/.test(s.run ?? ''),
    );
    if (writes.length && runsProjectCode) out.push(`${name}: runs project code with ${writes.join(', ')}: write`);
    if (
      writes.includes('id-token') &&
      !/github\.event_name == 'push' && github\.ref == 'refs\/heads\//.test(job.if ?? '')
    ) {
      out.push(`${name}: id-token: write outside pushes to the branch`);
    }
    for (const s of job.steps) {
      if (s.uses !== undefined && !/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(s.uses)) {
        out.push(`${name}: action not pinned by commit SHA: ${s.uses}`);
      }
      if (s.run !== undefined && s.run.includes('${{'))
        out.push(`${name}: expression inside a script: ${s.run.split('\n')[0]}`);
      if ((s.uses ?? '').startsWith('actions/checkout@') && s.with?.['persist-credentials'] !== false) {
        out.push(`${name}: checkout leaves the token in .git/config`);
      }
    }
  }
  return out;
}

describe('the GitHub workflow: an attacker finds no way in', () => {
  const variants = { default: githubWorkflow(), signers: githubWorkflow({ ...DEFAULT_CI_OPTIONS, signers: SIGNERS }) };

  it.each(Object.entries(variants))('%s: no problem an attacker uses', (_, text) => {
    expect(workflowProblems(text)).toEqual([]);
  });

  it('each check catches its hole', () => {
    const text = variants.default;
    const hole = (from: string | RegExp, to: string) => {
      const changed = text.replace(from, to);
      expect(changed).not.toBe(text);
      return workflowProblems(changed);
    };
    expect(hole(`actions/checkout@${ACTION_PINS.checkout.sha}`, 'actions/checkout@v7')).toEqual([
      'manifests: action not pinned by commit SHA: actions/checkout@v7',
    ]);
    expect(hole('run: npm ci', 'run: npm ci "${{ github.event.pull_request.title }}"')).toEqual([
      'manifests: expression inside a script: npm ci "${{ github.event.pull_request.title }}"',
    ]);
    expect(
      hole(
        '    permissions:\n      contents: read\n    outputs:',
        '    permissions:\n      contents: write\n    outputs:',
      ),
    ).toEqual(['manifests: runs project code with contents: write']);
    expect(hole('on:\n  pull_request:\n', 'on:\n  pull_request_target:\n')).toEqual([
      'trigger pull_request_target runs with write tokens on untrusted code',
    ]);
    expect(hole('persist-credentials: false', 'persist-credentials: true')).toEqual([
      'manifests: checkout leaves the token in .git/config',
    ]);
    expect(hole(/ {4}if: github.event_name == 'push' && github.ref == 'refs\/heads\/main'\n/, '')).toEqual([
      'attest: id-token: write outside pushes to the branch',
    ]);
    expect(hole('permissions: {}\n\nconcurrency', 'permissions: write-all\n\nconcurrency')).toEqual([
      'the workflow-level token has permissions',
    ]);
  });

  it.each(Object.entries(variants))('%s: valid against the workflow schema (@action-validator/core)', (_, text) => {
    expect(validateWorkflow(text).errors).toEqual([]);
  });

  it('the validator does reject a broken workflow', () => {
    expect(
      validateWorkflow(variants.default.replace('runs-on: ubuntu-24.04', 'runs-onn: ubuntu-24.04')).errors,
    ).not.toEqual([]);
  });

  it('uses exactly the pinned actions, each with its release tag as a comment', () => {
    const uses = [...variants.default.matchAll(/uses: (\S+) # (\S+)/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(new Set(uses)).toEqual(new Set(Object.values(ACTION_PINS).map((p) => `${p.uses}@${p.sha} ${p.version}`)));
    expect(variants.default.match(/uses: /g)).toHaveLength(uses.length);
  });

  it('is deterministic: the same options give the same bytes', () => {
    expect(githubWorkflow({ ...DEFAULT_CI_OPTIONS, signers: SIGNERS })).toBe(variants.signers);
    expect(variants.default).toBe(githubWorkflow());
    expect(variants.default).not.toMatch(/20[0-9]{2}-[0-9]{2}-[0-9]{2}/);
  });

  it('does what the issue asks: SARIF to code scanning, Trivy gate, Cosign verify, attestations, posture artifact', () => {
    const wf = parse(variants.signers) as Workflow;
    const runs = (job: string) => wf.jobs[job].steps.map((s) => s.run ?? '').join('\n');
    expect(runs('manifests')).toContain('bulwark audit --format sarif --output bulwark.sarif');
    expect(wf.jobs['code-scanning'].steps[1]).toMatchObject({ with: { sarif_file: 'bulwark.sarif' } });
    expect(runs('scan')).toContain('--severity CRITICAL,HIGH --ignore-unfixed --exit-code 1');
    expect(wf.jobs.scan.steps.some((s) => s.with?.sarif_file === 'trivy.sarif')).toBe(true);
    expect(runs('verify')).toContain('cosign verify --key "env://BULWARK_SIGNER_0_KEY"');
    expect(runs('verify')).toContain('--certificate-identity "$BULWARK_SIGNER_1_SUBJECT"');
    expect(runs('verify')).toContain('--certificate-identity-regexp "$BULWARK_SIGNER_2_SUBJECT"');
    expect(wf.jobs.verify.steps[1].env).toMatchObject({
      BULWARK_SIGNER_0_KEY: PEM,
      BULWARK_SIGNER_2_SUBJECT: '^https://github\\.com/acme/[^/]+/\\.github/workflows/release\\.yml@refs/heads/main$',
    });
    expect(runs('attest')).toContain('cosign attest --yes --type cyclonedx --predicate sbom.cdx.json');
    expect(runs('attest')).toContain('cosign attest --yes --type vuln --predicate vuln.json');
    expect(wf.jobs.manifests.steps.some((s) => s.with?.name === 'posture-report')).toBe(true);
  });
});

describe('the signer list', () => {
  it.each([
    [
      [{ name: 'x', issuer: 'https://a', subject: '${{ secrets.TOKEN }}' }],
      "signers[0].subject: '${{ secrets.TOKEN }}' contains a CI expression ('${{' or '$[['): signers are literal values",
    ],
    [
      [{ name: 'x', issuer: 'https://a', subjectRegExp: 'acme/app' }],
      "signers[0].subjectRegExp: 'acme/app' is not anchored: start it with ^ and end it with $ so that it cannot match inside another subject",
    ],
    [
      [{ name: 'x', key: 'ssh-ed25519 AAAA' }],
      "signers[0].key: not a PEM public key: expected '-----BEGIN PUBLIC KEY-----' ... '-----END PUBLIC KEY-----' (the content of cosign.pub)",
    ],
    [
      [{ name: 'x', key: PEM, issuer: 'https://a' }],
      'signers[0]: give either key (a Cosign public key) or issuer with subject or subjectRegExp (a keyless identity)',
    ],
    [
      [{ name: 'x', issuer: 'http://a', subject: 's' }],
      "signers[0].issuer: 'http://a' is not an https:// OIDC issuer URL",
    ],
    [
      [
        { name: 'x', issuer: 'https://a', subject: 's' },
        { name: 'x', key: PEM },
      ],
      "signers[1].name: 'x' is used twice: names must be unique",
    ],
    [
      [{ name: 'x', issuer: 'https://a', subject: 's', subjet: 't' }],
      "signers[0]: unknown field 'subjet': allowed are name, key, issuer, subject, subjectRegExp",
    ],
    [
      { name: 'x' },
      'signers: expected a list of signers ({ name, key } or { name, issuer, subject | subjectRegExp }), got {"name":"x"}',
    ],
  ])('refuses %j', (value, message) => {
    expect(() => parseImageSigners(value)).toThrow(message);
  });
});

describe('the verify script (run by a real shell, cosign replaced by a recorder)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-verify-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  function runVerify(images: string[], goodSigner: string): { status: number | null; stdout: string; calls: string[] } {
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin, { recursive: true });
    const log = path.join(dir, 'calls');
    fs.rmSync(log, { force: true });
    // The fake cosign succeeds only when the signer it is asked about is `goodSigner` (by the key's env var or the subject).
    fs.writeFileSync(
      path.join(bin, 'cosign'),
      `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\ncase "$*" in *"${goodSigner}"*) exit 0 ;; esac\nexit 1\n`,
      { mode: 0o755 },
    );
    fs.writeFileSync(path.join(dir, 'images.txt'), images.map((i) => `${i}\n`).join(''));
    const pipeline = parse(gitlabPipeline({ ...DEFAULT_CI_OPTIONS, signers: SIGNERS }, GITLAB_IMAGES));
    const job = pipeline['cosign-verify'];
    const r = spawnSync('sh', ['-e', '-c', job.script.join('\n')], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: `${bin}:/usr/bin:/bin`, ...job.variables },
    });
    return {
      status: r.status,
      stdout: r.stdout,
      calls: fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) : [],
    };
  }

  it('passes an image one signer verifies, trying signers in order', () => {
    const r = runVerify([`ghcr.io/acme/app@sha256:${D}`], 'release.yml@refs/heads/main');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`verified: ghcr.io/acme/app@sha256:${D}\n`);
    expect(r.calls).toEqual([
      `verify --key env://BULWARK_SIGNER_0_KEY -- ghcr.io/acme/app@sha256:${D}`,
      `verify --certificate-oidc-issuer https://token.actions.githubusercontent.com --certificate-identity https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main -- ghcr.io/acme/app@sha256:${D}`,
    ]);
  });

  it('fails when no signer verifies an image, and names it', () => {
    const r = runVerify([`ghcr.io/acme/app@sha256:${D}`, 'ghcr.io/evil/app:1'], 'nobody');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('no valid signature from an allowed signer: ghcr.io/evil/app:1\n');
    expect(r.calls).toHaveLength(6);
  });
});

describe('the GitLab pipeline', () => {
  const text = gitlabPipeline({ ...DEFAULT_CI_OPTIONS, signers: SIGNERS }, GITLAB_IMAGES);
  const p = parse(text) as Record<
    string,
    { image?: string | { name: string }; rules?: { if: string }[]; id_tokens?: unknown; script?: string[] }
  >;

  it('runs every job in an image pinned by digest, and only the attest job gets an ID token, on the branch', () => {
    const jobs = Object.entries(p).filter(([, j]) => typeof j === 'object' && j !== null && 'script' in j);
    expect(jobs.map(([n]) => n)).toEqual(['manifests', 'audit-gate', 'trivy', 'cosign-verify', 'sbom', 'attest']);
    for (const [, j] of jobs) {
      const image = typeof j.image === 'string' ? j.image : j.image?.name;
      expect(image).toMatch(/@sha256:[0-9a-f]{64}$/);
    }
    expect(jobs.filter(([, j]) => j.id_tokens !== undefined).map(([n]) => n)).toEqual(['attest']);
    expect(p.attest.rules).toEqual([{ if: '$CI_COMMIT_BRANCH == "main" && $CI_PIPELINE_SOURCE == "push"' }]);
    expect(p.sbom.rules).toEqual(p.attest.rules);
  });

  it('is deterministic and gates on Trivy, cosign and the audit', () => {
    expect(gitlabPipeline({ ...DEFAULT_CI_OPTIONS, signers: SIGNERS }, GITLAB_IMAGES)).toBe(text);
    expect(p.trivy.script?.join('\n')).toContain('--severity CRITICAL,HIGH --ignore-unfixed --exit-code 1');
    expect(p.attest.script?.join('\n')).toContain('cosign attest --yes --type cyclonedx');
  });
});

describe('bulwark init-ci', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-init-ci-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const run = async (argv: string[]) => {
    const io = captureIo(dir);
    const code = await initCiCommand(argv, io);
    return { code, stdout: io.out(), stderr: io.err() };
  };
  const listing = () =>
    (fs.readdirSync(dir, { recursive: true }) as string[])
      .filter((f) => !fs.statSync(path.join(dir, f)).isDirectory())
      .sort();

  it('prints its help', async () => {
    expect(await run(['--help'])).toEqual({ code: 0, stdout: INIT_CI_HELP, stderr: '' });
  });

  it('writes the workflow, then refuses to overwrite it without --force', async () => {
    expect(await run(['--github'])).toEqual({ code: 0, stdout: `wrote ${GITHUB_WORKFLOW_PATH}\n`, stderr: '' });
    const target = path.join(dir, GITHUB_WORKFLOW_PATH);
    expect(fs.readFileSync(target, 'utf8')).toBe(githubWorkflow());
    fs.writeFileSync(target, 'mine');
    expect(await run(['--github', '--branch', 'trunk'])).toEqual({
      code: 2,
      stdout: '',
      stderr: `bulwark init-ci: ${GITHUB_WORKFLOW_PATH} exists: nothing written; rerun with --force to replace it\n`,
    });
    expect(fs.readFileSync(target, 'utf8')).toBe('mine');
    expect((await run(['--github', '--branch', 'trunk', '--force'])).code).toBe(0);
    expect(fs.readFileSync(target, 'utf8')).toBe(githubWorkflow({ ...DEFAULT_CI_OPTIONS, branch: 'trunk' }));
  });

  it('writes nothing when one of two files exists', async () => {
    fs.writeFileSync(path.join(dir, GITLAB_PIPELINE_PATH), 'mine');
    const imgs = [
      '--node-image',
      GITLAB_IMAGES.node,
      '--trivy-image',
      GITLAB_IMAGES.trivy,
      '--cosign-image',
      GITLAB_IMAGES.cosign,
    ];
    expect((await run(['--github', '--gitlab', ...imgs])).code).toBe(2);
    expect(listing()).toEqual([GITLAB_PIPELINE_PATH]);
  });

  it('replaces a symbolic link at the target with --force, never writing through it', async () => {
    const outside = path.join(dir, 'outside.txt');
    fs.writeFileSync(outside, 'keep');
    fs.mkdirSync(path.join(dir, '.github/workflows'), { recursive: true });
    fs.symlinkSync(outside, path.join(dir, GITHUB_WORKFLOW_PATH));
    expect((await run(['--github'])).code).toBe(2);
    expect((await run(['--github', '--force'])).code).toBe(0);
    expect(fs.readFileSync(outside, 'utf8')).toBe('keep');
    expect(fs.lstatSync(path.join(dir, GITHUB_WORKFLOW_PATH)).isSymbolicLink()).toBe(false);
  });

  it('reads the signers file and refuses a bad one, writing nothing', async () => {
    fs.writeFileSync(
      path.join(dir, 'signers.yaml'),
      '- name: ci\n  issuer: https://token.actions.githubusercontent.com\n  subjectRegExp: acme\n',
    );
    expect(await run(['--github', '--signers', 'signers.yaml'])).toEqual({
      code: 2,
      stdout: '',
      stderr:
        "bulwark init-ci: --signers: signers.yaml[0].subjectRegExp: 'acme' is not anchored: start it with ^ and end it with $ so that it cannot match inside another subject\n",
    });
    expect(listing()).toEqual(['signers.yaml']);
    fs.writeFileSync(
      path.join(dir, 'signers.yaml'),
      `- name: release\n  key: |\n${PEM.split('\n')
        .filter(Boolean)
        .map((l) => `    ${l}`)
        .join('\n')}\n`,
    );
    expect((await run(['--github', '--signers', 'signers.yaml'])).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, GITHUB_WORKFLOW_PATH), 'utf8')).toContain('BULWARK_SIGNER_0_KEY');
  });

  it('refuses values that would inject into the workflow, and GitLab images not pinned by digest', async () => {
    expect((await run(['--github', '--synth', 'npm run synth ${{ github.head_ref }}'])).stderr).toBe(
      "bulwark init-ci: --synth: 'npm run synth ${{ github.head_ref }}' contains a CI expression ('${{' or '$[['): give a literal value\n",
    );
    expect((await run(['--github', '--branch', "main' || true"])).stderr).toBe(
      "bulwark init-ci: --branch: invalid value 'main' || true': a branch name of letters, digits, ., _, - and /\n",
    );
    expect(
      (
        await run([
          '--gitlab',
          '--node-image',
          'node:22',
          '--trivy-image',
          GITLAB_IMAGES.trivy,
          '--cosign-image',
          GITLAB_IMAGES.cosign,
        ])
      ).stderr,
    ).toBe(
      "bulwark init-ci: --node-image: 'node:22' is not pinned by digest: give image:tag@sha256:<digest> (resolve it with 'crane digest node:22')\n",
    );
    expect((await run(['--gitlab'])).stderr).toBe(
      "bulwark init-ci: --gitlab needs --node-image, --trivy-image, --cosign-image: GitLab runs every job in a container image, and bulwark pins each by a digest you resolved (e.g. 'crane digest aquasec/trivy:0.70.0'); a tag could be re-pushed\n",
    );
    expect((await run([])).stderr).toBe('bulwark init-ci: say which CI: --github, --gitlab or both\n');
    expect(listing()).toEqual([]);
  });
});
