import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MERGE_KEY_MANIFEST } from '../manifest/yaml-corpus';

/**
 * Hostile input through the real CLI (bin/bulwark.js audit in a child process): each ends in a clear input error
 * (exit 2, the file, the limit) within bounded time and memory. Time and peak memory of each run are measured (the
 * child reports its peak RSS at exit through bench/max-rss-probe.js) and printed; the bounds asserted are generous
 * ceilings that an unbounded reader (the old one: stack overflow, hang, 7 GB) cannot meet.
 */

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin/bulwark.js');
const PROBE = path.join(ROOT, 'bench/max-rss-probe.js');
const CEILING_MS = 60_000;
const CEILING_RSS_MB = 1024;

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-hostile-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  rssMb: number;
}

function audit(args: readonly string[], stdin: number | 'ignore' = 'ignore'): Run {
  const t = Date.now();
  const r = spawnSync(process.execPath, ['-r', PROBE, BIN, 'audit', ...args], {
    cwd: tmp,
    stdio: [stdin, 'pipe', 'pipe', 'pipe'],
    timeout: CEILING_MS * 2,
    maxBuffer: 1 << 26,
  });
  const ms = Date.now() - t;
  const rssKb = Number(String(r.output?.[3] ?? '').trim());
  return { code: r.status, stdout: String(r.stdout), stderr: String(r.stderr), ms, rssMb: Math.round(rssKb / 1024) };
}

function expectBounded(name: string, run: Run): void {
  process.stdout.write(`hostile input ${name}: exit ${run.code}, ${run.ms} ms, peak RSS ${run.rssMb} MB\n`);
  expect(run.ms).toBeLessThan(CEILING_MS);
  expect(run.rssMb).toBeGreaterThan(0);
  expect(run.rssMb).toBeLessThan(CEILING_RSS_MB);
}

const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: x}]\n';

describe('hostile input through bulwark audit', () => {
  it('100,000-deep nesting in a JSON List: an input error naming the limit, no stack overflow', () => {
    const depth = 100_000;
    fs.writeFileSync(
      path.join(tmp, 'deep-list.json'),
      `{"apiVersion":"v1","kind":"List","items":[${'['.repeat(depth)}${']'.repeat(depth)}]}`,
    );
    const run = audit(['--format', 'json', 'deep-list.json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "bulwark audit: deep-list.json:1: nested more than 10000 levels deep: Go's JSON decoder (kubectl, the API server) refuses that\n",
    );
    expect(JSON.parse(run.stdout).summary.inputErrors).toBe(1);
    expectBounded('100k-deep JSON List', run);
  });

  it("100,000-deep nesting in YAML flow collections: go-yaml's depth limit, no stack overflow", () => {
    const depth = 100_000;
    fs.writeFileSync(path.join(tmp, 'deep-flow.yaml'), `${POD}x: ${'['.repeat(depth)}${']'.repeat(depth)}\n`);
    const run = audit(['--format', 'sarif', 'deep-flow.yaml']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'bulwark audit: deep-flow.yaml:6: invalid YAML (column 10004): exceeded max depth of 10000, while increasing flow level at line 6\n',
    );
    expect(JSON.parse(run.stdout).runs[0].invocations[0].executionSuccessful).toBe(false);
    expectBounded('100k-deep YAML flow', run);
  });

  it('a FIFO, in a folder or named: refused as not a regular file, without waiting for a writer', () => {
    fs.mkdirSync(path.join(tmp, 'fifo'));
    execFileSync('mkfifo', [path.join(tmp, 'fifo/pipe.yaml')]);
    fs.writeFileSync(path.join(tmp, 'fifo/pod.yaml'), POD);
    const run = audit(['--only', 'pss-baseline-privileged', 'fifo', 'fifo/pipe.yaml']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'bulwark audit: fifo/pipe.yaml: a FIFO (named pipe), not a regular file: bulwark reads files, directories and - (standard input) only\n',
    );
    expectBounded('FIFO', run);
  });

  it('/dev/zero named as an input: refused as a device; piped to standard input: stopped at the size limit', () => {
    const named = audit(['/dev/zero']);
    expect(named.code).toBe(2);
    expect(named.stderr).toBe(
      'bulwark audit: /dev/zero: a character device, not a regular file: bulwark reads files, directories and - (standard input) only\n',
    );
    expectBounded('/dev/zero as a file', named);
    const zero = fs.openSync('/dev/zero', 'r');
    try {
      const piped = audit(['-'], zero);
      expect(piped.code).toBe(2);
      expect(piped.stderr).toBe(
        'bulwark audit: stdin: standard input is larger than the 64 MiB input limit: check that this is the manifest you meant, or raise the limit with --max-file-size <MiB>\n',
      );
      expectBounded('/dev/zero on stdin', piped);
    } finally {
      fs.closeSync(zero);
    }
  });

  it('a huge file: refused by its size before reading; --max-file-size raises the limit', () => {
    const huge = path.join(tmp, 'huge.yaml');
    fs.writeFileSync(huge, '');
    fs.truncateSync(huge, 10 * 1024 ** 3); // sparse: 10 GiB that takes no disk
    const run = audit(['huge.yaml']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'bulwark audit: huge.yaml: the file (10737418240 bytes) is larger than the 64 MiB input limit: check that this is the manifest you meant, or raise the limit with --max-file-size <MiB>\n',
    );
    expectBounded('10 GiB sparse file', run);
    fs.writeFileSync(path.join(tmp, 'two-mib.yaml'), `${POD}# ${'x'.repeat(2 * 1024 * 1024)}\n`);
    expect(audit(['--max-file-size', '1', 'two-mib.yaml']).stderr).toMatch(
      /^bulwark audit: two-mib\.yaml: the file \(\d+ bytes\) is larger than the 1 MiB input limit/,
    );
    expect(audit(['--max-file-size', '3', '--only', 'pss-baseline-privileged', 'two-mib.yaml']).code).toBe(0);
  });

  it("alias-heavy YAML (billion laughs): go-yaml's alias expansion limit, at once", () => {
    const names = 'abcdefghi';
    let text = `a: &a [${Array(9).fill('"lol"').join(',')}]\n`;
    for (let i = 1; i < names.length; i++) {
      text += `${names[i]}: &${names[i]} [${Array(9)
        .fill(`*${names[i - 1]}`)
        .join(',')}]\n`;
    }
    fs.writeFileSync(path.join(tmp, 'laughs.yaml'), text);
    const run = audit(['laughs.yaml']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^bulwark audit: laughs\.yaml:\d+: invalid YAML \(column \d+\): document contains excessive aliasing \(\d+ of \d+ nodes come from aliases; go-yaml refuses such documents, as kubectl does\)\n$/,
    );
    expectBounded('billion laughs', run);
  });

  it('a symbolic link to / inside an audited folder is not followed (kubectl apply -R does not either)', () => {
    fs.mkdirSync(path.join(tmp, 'linked'));
    fs.symlinkSync('/', path.join(tmp, 'linked/root'));
    fs.symlinkSync('/', path.join(tmp, 'linked/root.yaml'));
    fs.writeFileSync(path.join(tmp, 'linked/pod.yaml'), POD);
    const run = audit(['--only', 'pss-baseline-privileged', 'linked']);
    expect(run.stderr).toBe(
      'bulwark audit: linked/root.yaml: a directory, not a regular file: bulwark reads files, directories and - (standard input) only\n',
    );
    expect(run.code).toBe(2);
    expectBounded('symlink to /', run);
  });

  it('dot-files and dot-folders are read, as kubectl apply -R reads them', () => {
    fs.mkdirSync(path.join(tmp, 'dots/.secret'), { recursive: true });
    const privileged = (name: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec:\n  containers: [{name: c, image: x, securityContext: {privileged: true}}]\n`;
    fs.writeFileSync(path.join(tmp, 'dots/.priv.yaml'), privileged('priv'));
    fs.writeFileSync(path.join(tmp, 'dots/.secret/x.yaml'), privileged('secret'));
    const run = audit(['--only', 'pss-baseline-privileged', '--format', 'json', 'dots']);
    expect(run.code).toBe(1);
    const findings = JSON.parse(run.stdout).findings as { object: { name: string }; source: { file: string } }[];
    expect(findings.map((f) => `${f.object.name} ${f.source.file}`)).toEqual([
      'priv dots/.priv.yaml',
      'secret dots/.secret/x.yaml',
    ]);
    expectBounded('dot-files', run);
  });

  it('a List whose items is a mapping is an input error, not an empty List', () => {
    fs.writeFileSync(path.join(tmp, 'list-map.yaml'), `apiVersion: v1\nkind: List\nitems:\n  pod: {kind: Pod}\n`);
    const run = audit(['list-map.yaml']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'bulwark audit: list-map.yaml:1: document is a List whose items is a mapping: items must be a sequence of objects (- apiVersion: ...)\n',
    );
    expectBounded('List with map items', run);
  });

  it('the issue merge-key manifest is read as go-yaml reads it, and flagged: privileged, hostPID, SYS_ADMIN', () => {
    fs.writeFileSync(path.join(tmp, 'merge.yaml'), MERGE_KEY_MANIFEST);
    const run = audit(['--format', 'json', 'merge.yaml']);
    expect(run.code).toBe(1);
    const ids = new Set((JSON.parse(run.stdout).findings as { ruleId: string }[]).map((f) => f.ruleId));
    expect([...ids]).toEqual(
      expect.arrayContaining(['pss-baseline-privileged', 'pss-baseline-host-namespaces', 'pss-baseline-capabilities']),
    );
  });
});
