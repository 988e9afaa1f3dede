import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GRAPH_HELP, graphCommand } from '../../lib/cli/graph-command';
import { networkGraphOf } from '../../lib/graph/reachability';
import { renderGraphHtml } from '../../lib/graph/render-html';
import { renderMermaid } from '../../lib/graph/render-mermaid';
import { renderSvg } from '../../lib/graph/render-svg';
import { readManifests } from '../../lib/manifest/manifests';
import { captureIo } from '../helpers/capture-io';

const ROOT = path.join(__dirname, '..', '..');
const SHOP = 'test/fixtures/graph/shop.yaml';
const OPEN_LINES =
  'bulwark graph: open to all: Deployment shop/frontend: shop/frontend ingress[0] admits ipBlock 0.0.0.0/0 on ports TCP 8443\n' +
  'bulwark graph: open to all: Deployment shop/legacy: no NetworkPolicy selects it for ingress\n';

/** Two pods in a default-deny namespace: nothing is open. */
const CLOSED = `apiVersion: v1
kind: Pod
metadata: { name: a, namespace: x, labels: { app: a } }
spec: { containers: [{ name: c, image: i }] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: deny, namespace: x }
spec: { podSelector: {}, policyTypes: [Ingress, Egress] }
`;

async function run(argv: string[], stdin = '') {
  const io = captureIo(ROOT, stdin);
  const code = await graphCommand(argv, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

async function shopGraph() {
  const m = await readManifests([SHOP], { cwd: ROOT });
  return { graph: networkGraphOf(m.objects, m.sources), files: m.files };
}

describe('bulwark graph (in process)', () => {
  it('prints its help', async () => {
    expect(await run(['--help'])).toEqual({ code: 0, stdout: GRAPH_HELP, stderr: '' });
  });

  it('refuses bad usage with exit 2 and a message naming the option, the value and what is allowed', async () => {
    expect(await run([])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'bulwark graph: no input: give files, directories or - for standard input (see --help)\n',
    });
    expect((await run(['--format', 'png', SHOP])).stderr).toBe(
      "bulwark graph: --format: invalid value 'png': use mermaid, svg, html\n",
    );
    expect((await run([SHOP, '--format'])).stderr).toBe(
      'bulwark graph: --format: missing value: --format needs a value (see --help)\n',
    );
    expect(await run(['--level', 'baseline', SHOP])).toEqual({
      code: 2,
      stdout: '',
      stderr:
        "bulwark graph: unknown option '--level': use --format, --output or --help (inputs are files, directories or -)\n",
    });
  });

  it('exits 2 on input errors (and still draws what it could read)', async () => {
    const r = await run(['missing.yaml', '-'], CLOSED);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'bulwark graph: missing.yaml: no such file or directory: check the path (inputs are files, directories or - for stdin)\n',
    );
    expect(r.stdout).toContain('w_x_Pod_a["a<br/>Pod"]');
    expect(await run(['-'], '')).toEqual({
      code: 2,
      stdout:
        'flowchart LR\n  classDef open fill:#fdecea,stroke:#c62828,stroke-width:2px,color:#7f1d1d\n  classDef outside fill:#f4f4f5,stroke:#71717a,stroke-dasharray:4 3\n',
      stderr:
        'bulwark graph: stdin: no Kubernetes objects in the input: an empty input usually means the command that produced it failed\n',
    });
  });

  it('exits 0 when no workload is open to all', async () => {
    const r = await run(['-'], CLOSED);
    expect(r).toEqual({ code: 0, stdout: r.stdout, stderr: '' });
  });

  it('prints Mermaid by default, lists each workload open to all on stderr and exits 1', async () => {
    const { graph } = await shopGraph();
    expect(await run([SHOP])).toEqual({ code: 1, stdout: renderMermaid(graph), stderr: OPEN_LINES });
  });

  it('prints SVG and HTML, and writes to --output with a summary line', async () => {
    const { graph, files } = await shopGraph();
    expect((await run(['--format=svg', SHOP])).stdout).toBe(renderSvg(graph));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-graph-'));
    const out = path.join(dir, 'sub', 'graph.html');
    const r = await run(['--format', 'html', '--output', out, SHOP]);
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr: `${OPEN_LINES}bulwark graph: wrote the html graph to ${out}: 4 workloads, 9 connections, 2 open to all\n`,
    });
    expect(fs.readFileSync(out, 'utf8')).toBe(renderGraphHtml(graph, files));
  });

  it('says why it cannot write --output', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-graph-'));
    const r = await run(['--output', dir, SHOP]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `bulwark graph: --output: cannot write '${dir}': it is a directory: give the path of a file to write\n`,
    );
  });
});

describe('bulwark graph (the real bin)', () => {
  it('runs as a child process: Mermaid on stdout, open workloads on stderr, exit 1', async () => {
    const r = spawnSync(process.execPath, [path.join('bin', 'bulwark.js'), 'graph', SHOP], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const { graph } = await shopGraph();
    expect({ code: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({
      code: 1,
      stdout: renderMermaid(graph),
      stderr: OPEN_LINES,
    });
  });

  it('reads standard input and exits 0 on a closed namespace', () => {
    const r = spawnSync(process.execPath, [path.join('bin', 'bulwark.js'), 'graph', '--format', 'svg', '-'], {
      cwd: ROOT,
      input: CLOSED,
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(r.stdout).toContain('1 workload · 0 connections · 0 open to all');
  });
});
