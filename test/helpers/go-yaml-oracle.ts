import { execFileSync, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * The Go oracle (test/oracle/go-yaml/main.go): kubectl's document split and sigs.k8s.io/yaml's YAMLToJSON, built from
 * Debian's Go packages offline (GOPATH mode) and cached under node_modules/.cache by the hash of its source.
 */

const ROOT = path.resolve(__dirname, '../..');
const SOURCE = path.join(ROOT, 'test/oracle/go-yaml/main.go');
const GOPATH_PACKAGES = '/usr/share/gocode';
const DEBIAN_PACKAGES = 'golang-go golang-k8s-sigs-yaml-dev golang-gopkg-yaml.v2-dev';

export type OracleDocument = { json: unknown } | { error: string };

function goBinary(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v go'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      `the Go oracle needs the go compiler and the Go YAML sources: apt-get install -y ${DEBIAN_PACKAGES} ` +
        '(.ci/run installs them in CI)',
    );
  }
}

/** Builds the oracle when its source changed; returns the binary's path. */
export function buildGoYamlOracle(): string {
  const source = fs.readFileSync(SOURCE);
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const cacheDir = path.join(ROOT, 'node_modules/.cache/bulwark-go-yaml-oracle');
  const binary = path.join(cacheDir, `oracle-${hash}`);
  if (fs.existsSync(binary)) return binary;
  const go = goBinary();
  for (const pkg of ['sigs.k8s.io/yaml', 'gopkg.in/yaml.v2']) {
    if (!fs.existsSync(path.join(GOPATH_PACKAGES, 'src', pkg))) {
      throw new Error(`the Go oracle needs ${pkg} in ${GOPATH_PACKAGES}: apt-get install -y ${DEBIAN_PACKAGES}`);
    }
  }
  const gopath = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-oracle-'));
  try {
    const pkgDir = path.join(gopath, 'src/bulwark-go-yaml-oracle');
    fs.mkdirSync(pkgDir, { recursive: true });
    fs.writeFileSync(path.join(pkgDir, 'main.go'), source);
    fs.mkdirSync(cacheDir, { recursive: true });
    const tmpBinary = `${binary}.${process.pid}.tmp`;
    execFileSync(go, ['build', '-o', tmpBinary, '.'], {
      cwd: pkgDir,
      env: {
        ...process.env,
        GOPATH: `${gopath}:${GOPATH_PACKAGES}`,
        GO111MODULE: 'off',
        GOFLAGS: '',
        GOCACHE: path.join(cacheDir, 'gocache'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    fs.renameSync(tmpBinary, binary);
  } finally {
    fs.rmSync(gopath, { recursive: true, force: true });
  }
  return binary;
}

/** Runs the oracle once over many streams; returns each stream's documents (up to the first error). */
export function runGoYamlOracle(binary: string, streams: readonly Uint8Array[]): OracleDocument[][] {
  const parts: Buffer[] = [];
  for (const s of streams) {
    parts.push(Buffer.from(`${s.length}\n`), Buffer.from(s));
  }
  const res = spawnSync(binary, [], { input: Buffer.concat(parts), maxBuffer: 1 << 30 });
  if (res.status !== 0) throw new Error(`go-yaml oracle failed (${res.status}): ${res.stderr.toString()}`);
  const lines = res.stdout.toString('utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length !== streams.length) throw new Error(`oracle answered ${lines.length} of ${streams.length} streams`);
  return lines.map((l) => (JSON.parse(l) as { docs: OracleDocument[] }).docs);
}
