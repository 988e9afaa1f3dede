import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AUDIT_HELP } from '../../lib/cli/audit-args';
import { auditCommand } from '../../lib/cli/audit-command';
import { CliIo } from '../../lib/cli/cli-io';

// The in-process side of the command (the bin is exercised in audit-bin.test.ts). `--only` keeps every expectation
// to the two rules this suite may rely on, whatever else the catalog gains.
const ONLY = ['--only', 'service-nodeport,pss-baseline-privileged'];

const NODEPORT = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: np\nspec:\n  type: NodePort\n';
const CLEAN = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: ok\nspec:\n  type: ClusterIP\n';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-audit-'));
  fs.writeFileSync(path.join(dir, 'nodeport.yaml'), NODEPORT);
  fs.writeFileSync(path.join(dir, 'clean.yaml'), CLEAN);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[], options: { stdin?: string; color?: boolean } = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    readStdin: async () => options.stdin ?? '',
    cwd: dir,
    color: options.color,
  };
  const code = await auditCommand(argv, io);
  return { code, stdout, stderr };
}

describe('auditCommand', () => {
  it('prints its help on stdout', async () => {
    expect(await run(['--help'])).toEqual({ code: 0, stdout: AUDIT_HELP, stderr: '' });
    expect(AUDIT_HELP).toContain('--format text|json|sarif');
  });

  it('reports usage errors on stderr with exit 2 and no report', async () => {
    expect(await run(['--format', 'yaml', 'clean.yaml'])).toEqual({
      code: 2,
      stdout: '',
      stderr: "bulwark audit: --format: invalid value 'yaml': use text, json, sarif\n",
    });
  });

  it('refuses, before reading any input, a --kubernetes-version the schema rules have no schemas of', async () => {
    const releases = 'v1.23, v1.24, v1.25, v1.26, v1.27, v1.28, v1.29, v1.30, v1.31, v1.32, v1.33, v1.34, v1.35, v1.36';
    expect(await run(['--only', 'schema', '--kubernetes-version', '1.37', 'missing.yaml'])).toEqual({
      code: 2,
      stdout: '',
      stderr: `bulwark audit: --kubernetes-version: no OpenAPI schemas of Kubernetes v1.37 for the schema rules: bulwark has v1.23 to v1.36 (${releases}); pass one of them with --kubernetes-version, or latest for v1.36\n`,
    });
    // The API version rules know v1.37; the schema rules check a release they have, patch number or not.
    expect((await run(['--only', 'api', '--kubernetes-version', '1.37', 'clean.yaml'])).code).toBe(0);
    expect((await run(['--only', 'schema', '--kubernetes-version', 'v1.30.2', 'clean.yaml'])).code).toBe(0);
  });

  it('exits 0 on a clean manifest and 1 on findings', async () => {
    expect(await run([...ONLY, 'clean.yaml'])).toEqual({
      code: 0,
      stdout: '1 object, 0 errors, 0 warnings, 0 exempted in 1 file\n',
      stderr: '',
    });
    const r = await run([...ONLY, 'nodeport.yaml', 'clean.yaml']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        'Service np (nodeport.yaml:1)',
        '  6  error     service-nodeport  Service type is NodePort',
        '',
        'Rules',
        '  service-nodeport  1 error',
        '                    Use type ClusterIP and expose the workload through an Ingress or Gateway with',
        '                    TLS; NodePort opens the port on every node.',
        '',
        '2 objects, 1 error, 0 warnings, 0 exempted in 2 files',
        '',
      ].join('\n'),
    );
  });

  it('treats the baseline level and a PSS version as options of the same audit', async () => {
    const privileged =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: x\n    securityContext:\n      privileged: true\n';
    const r = await run(['--level', 'baseline', '--pss-version', 'v1.25', '--format', 'json', ...ONLY, '-'], {
      stdin: privileged,
    });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings.map((f: { ruleId: string; source: unknown }) => [f.ruleId, f.source])).toEqual(
      [['pss-baseline-privileged', { file: 'stdin', line: 10, objectLine: 1, document: 0, item: null }]],
    );
  });

  it('refuses to pass an input without a single object (a failed command piped into it)', async () => {
    expect(await run(['-'], { stdin: '' })).toEqual({
      code: 2,
      stdout: '0 objects, 0 errors, 0 warnings, 0 exempted in 1 file; 1 input error\n',
      stderr:
        'bulwark audit: stdin: no Kubernetes objects in the input: an empty input usually means the command that produced it failed\n',
    });
  });

  it('writes the report to --output (creating directories) and a one-line summary to stderr', async () => {
    const r = await run([...ONLY, '--format', 'json', '--output', 'out/report.json', 'nodeport.yaml']);
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'bulwark audit: wrote the json report to out/report.json: 1 object, 1 error, 0 warnings, 0 exempted in 1 file\n',
    });
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'out', 'report.json'), 'utf8'));
    expect(report.summary.errors).toBe(1);
  });

  it('fails with exit 2 when --output cannot be written', async () => {
    const r = await run([...ONLY, '--output', 'clean.yaml/report.txt', 'clean.yaml']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^bulwark audit: --output: cannot write 'clean\.yaml\/report\.txt': /);
  });

  it('colours the text report only for a terminal, never in a file', async () => {
    expect((await run([...ONLY, 'nodeport.yaml'], { color: true })).stdout).toContain('\x1b[31merror');
    await run([...ONLY, '--output', 'out/report.txt', 'nodeport.yaml'], { color: true });
    expect(fs.readFileSync(path.join(dir, 'out', 'report.txt'), 'utf8')).not.toContain('\x1b[');
  });
});
