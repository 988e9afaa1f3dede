import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { RULES, selectRules } from '../../lib/policy';
import { loadRuleFixtures } from '../helpers/rule-fixtures';
import { sarifSchemaErrors } from '../helpers/sarif-schema';

// The real CLI, as users and CI run it: `node bin/bulwark.js audit ...` from the repository root, on files in a
// scratch directory inside the repository (git-ignored `.bulwark-tmp-*`) so that reported paths are relative.
// Each spawn costs ~0.7 s: scenarios are grouped so that a few runs cover everything.

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join('bin', 'bulwark.js');
const ONLY = ['--only', 'service-nodeport,pss-baseline-privileged'];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function bulwark(args: string[], stdin?: string): Run {
  const r = spawnSync(process.execPath, [BIN, 'audit', ...args], {
    cwd: ROOT,
    input: stdin ?? '',
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const pod = (name: string, extra = '') =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n${extra}spec:\n  containers:\n  - name: app\n    image: app\n    securityContext:\n      privileged: true\n`;
const nodePort = (name: string, extra = '') =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n${extra}spec:\n  type: NodePort\n`;

let tmp: string;
let rel: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(ROOT, '.bulwark-tmp-audit-'));
  rel = path.relative(ROOT, tmp).split(path.sep).join('/');
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(tmp, file)), { recursive: true });
    fs.writeFileSync(path.join(tmp, file), text);
  };
  write(
    'm/app.yaml',
    `# app\n${pod('web')}---\n# comment-only document\n---\n${nodePort('legacy', '  annotations:\n    exempt.bulwark.dev/service-nodeport: "legacy load balancer, ticket NET-7"\n')}`,
  );
  write(
    'm/lists/list.yaml',
    'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: listed}\n  spec: {type: NodePort}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: cm}\n',
  );
  write(
    'm/lists/pods.json',
    JSON.stringify(
      {
        apiVersion: 'v1',
        kind: 'PodList',
        items: [
          {
            metadata: { name: 'from-json' },
            spec: { containers: [{ name: 'c', securityContext: { privileged: true } }] },
          },
        ],
      },
      null,
      2,
    ),
  );
  write(
    'm/broken/bad.yaml',
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n name: b\n---\n${nodePort('after-bad')}`,
  );
  write('m/broken/nokind.yaml', 'apiVersion: v1\nmetadata:\n  name: nokind\n');
  // kubectl apply -R reads dot-files and dot-folders too
  write('m/.hidden/read.yaml', 'not: [valid\n');
  write('m/notes.txt', 'not a manifest');
  write('clean.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: ok\nspec:\n  type: ClusterIP\n');
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('bulwark audit (the bin)', () => {
  it('audits a directory tree: List kinds, JSON, exemptions; reports input errors with file:line and exits 2', () => {
    const r = bulwark(['--format', 'json', ...ONLY, `${rel}/m`, `${rel}/nope.yaml`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      [
        `bulwark audit: ${rel}/m/.hidden/read.yaml:2: invalid YAML (column 1): did not find expected ',' or ']', while parsing a flow sequence at line 1`,
        `bulwark audit: ${rel}/m/broken/bad.yaml:5: invalid YAML (column 2): did not find expected key, while parsing a block mapping at line 1`,
        `bulwark audit: ${rel}/m/broken/nokind.yaml:1: document has no kind: every Kubernetes object needs apiVersion and kind as strings (for example apiVersion: apps/v1 and kind: Deployment)`,
        `bulwark audit: ${rel}/nope.yaml: no such file or directory: check the path (inputs are files, directories or - for stdin)`,
        '',
      ].join('\n'),
    );
    const report = JSON.parse(r.stdout);
    // file:line of the offending field, then the object's line, its document's index in the file and its List item
    const brief = (f: {
      ruleId: string;
      object: { kind: string; name: string };
      source: { file: string; line: number; objectLine: number; document: number; item: number | null };
    }) => {
      const s = f.source;
      return `${f.ruleId} ${f.object.kind}/${f.object.name} ${s.file.slice(rel.length + 1)}:${s.line} object@${s.objectLine} doc ${s.document} item ${s.item}`;
    };
    expect(report.findings.map(brief)).toEqual([
      'pss-baseline-privileged Pod/web m/app.yaml:11 object@2 doc 0 item null',
      'service-nodeport Service/after-bad m/broken/bad.yaml:12 object@7 doc 1 item null',
      'service-nodeport Service/listed m/lists/list.yaml:7 object@4 doc 0 item 0',
      'pss-baseline-privileged Pod/from-json m/lists/pods.json:14 object@5 doc 0 item 0',
    ]);
    expect(report.exempted.map((f: { reason: string }) => [brief(f as never), f.reason])).toEqual([
      ['service-nodeport Service/legacy m/app.yaml:22 object@15 doc 2 item null', 'legacy load balancer, ticket NET-7'],
    ]);
    expect(new Set(report.findings.map((f: { id: string }) => f.id)).size).toBe(4);
    expect(report.errors).toEqual([
      { file: `${rel}/m/.hidden/read.yaml`, line: 2, message: expect.stringMatching(/^invalid YAML/) },
      { file: `${rel}/m/broken/bad.yaml`, line: 5, message: expect.stringMatching(/^invalid YAML/) },
      { file: `${rel}/m/broken/nokind.yaml`, line: 1, message: expect.stringMatching(/^document has no kind/) },
      { file: `${rel}/nope.yaml`, line: null, message: expect.stringMatching(/^no such file/) },
    ]);
    expect(report.summary).toEqual({
      objects: 6,
      files: 6,
      errors: 4,
      warnings: 0,
      exempted: 1,
      notGranted: 1,
      inputErrors: 4,
    });
  });

  it('writes SARIF that is valid against the 2.1.0 schema, with paths relative to the repository', () => {
    const r = bulwark(['--format', 'sarif', ...ONLY, `${rel}/m`]);
    expect(r.code).toBe(2);
    const log = JSON.parse(r.stdout);
    expect(sarifSchemaErrors(log)).toEqual([]);
    const run = log.runs[0];
    expect(run.tool.driver.rules.map((x: { id: string }) => x.id)).toEqual([
      'pss-baseline-privileged',
      'service-nodeport',
    ]);
    expect(run.results).toHaveLength(5);
    expect(run.results[0].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: `${rel}/m/app.yaml`, uriBaseId: '%SRCROOT%' },
      region: { startLine: 11 },
    });
    expect(run.results[4].suppressions).toEqual([
      {
        kind: 'inSource',
        status: 'underReview',
        justification: 'legacy load balancer, ticket NET-7 (exemption by annotation only, not granted)',
      },
    ]);
    expect(run.invocations[0].executionSuccessful).toBe(false);
  });

  it('reads stdin with - and exits 1 on findings', () => {
    const r = bulwark([...ONLY, '-'], nodePort('piped'));
    expect(r).toEqual({
      code: 1,
      stdout: [
        'Service piped (stdin:1)',
        '  6  error     service-nodeport  Service type is NodePort',
        '',
        'Rules',
        '  service-nodeport  1 error',
        '                    Use type ClusterIP and expose the workload through an Ingress or Gateway with',
        '                    TLS; NodePort opens the port on every node.',
        '',
        '1 object, 1 error, 0 warnings, 0 exempted in 1 file',
        '',
      ].join('\n'),
      stderr: '',
    });
  });

  it('exits 0 on a clean manifest', () => {
    expect(bulwark([...ONLY, `${rel}/clean.yaml`])).toEqual({
      code: 0,
      stdout: '1 object, 0 errors, 0 warnings, 0 exempted in 1 file\n',
      stderr: '',
    });
  });

  it('refuses an unknown option with exit 2, naming it and what is allowed', () => {
    expect(bulwark(['--colour', `${rel}/clean.yaml`])).toEqual({
      code: 2,
      stdout: '',
      stderr:
        "bulwark audit: unknown option '--colour': use --format, --level, --pss-version, --only, --fail-on, --allowed-registries, --kubernetes-version, --output, --max-file-size, --exemptions, --exclude, --rules, --strict or --help (inputs are files, directories or -)\n",
    });
  });

  it('runs only the Pod Security rules with --only pss', () => {
    const r = bulwark(['--only', 'pss', '--format', 'json', `${rel}/m/app.yaml`]);
    expect(r.code).toBe(1);
    const ids = new Set(JSON.parse(r.stdout).findings.map((f: { ruleId: string }) => f.ruleId));
    expect(ids.has('pss-baseline-privileged')).toBe(true);
    const pss = new Set(selectRules(['pss']).map((x) => x.id));
    expect([...ids].filter((id) => !pss.has(id as string))).toEqual([]);
  });

  it('fails on warnings only with --fail-on warning', () => {
    // Any failing fixture of a warning rule that needs no audit options will do (the catalog meta-test guarantees
    // fixtures).
    const warnings = new Set(RULES.filter((x) => x.severity === 'warning').map((x) => x.id));
    const found = loadRuleFixtures().find(
      (f) => f.expect === 'fail' && warnings.has(f.ruleId) && Object.keys(f.options).length === 0,
    );
    expect(found).toBeDefined();
    const rule = RULES.find((x) => x.id === found!.ruleId);
    const fixture = path.relative(ROOT, found!.file);
    const without = bulwark(['--only', rule!.id, fixture]);
    expect(without.code).toBe(0);
    expect(without.stdout).toMatch(/, 0 errors, [1-9]\d* warnings?, /);
    expect(bulwark(['--only', rule!.id, '--fail-on', 'warning', fixture]).code).toBe(1);
  });
});
