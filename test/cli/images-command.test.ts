import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { IMAGES_HELP, imagesCommand } from '../../lib/cli/images-command';
import { captureIo } from '../helpers/capture-io';

const ROOT = path.join(__dirname, '..', '..');
const EVERY_KIND = 'test/fixtures/images/every-container-kind.yaml';
const D = 'a'.repeat(64);
const PINNED = `apiVersion: v1
kind: Pod
metadata: { name: p, namespace: x }
spec: { containers: [{ name: c, image: "ghcr.io/acme/app:1.0@sha256:${D}" }] }
`;

async function run(argv: string[], stdin = '') {
  const io = captureIo(ROOT, stdin);
  const code = await imagesCommand(argv, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

describe('bulwark images (in process)', () => {
  it('prints its help', async () => {
    expect(await run(['--help'])).toEqual({ code: 0, stdout: IMAGES_HELP, stderr: '' });
  });

  it('refuses bad usage with exit 2 naming the option, the value and what is allowed', async () => {
    expect(await run([])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'bulwark images: no input: give files, directories or - for standard input (see --help)\n',
    });
    expect((await run(['--format', 'csv', EVERY_KIND])).stderr).toBe(
      "bulwark images: --format: invalid value 'csv': use text, json, list\n",
    );
    expect((await run(['--fail-on', 'error', EVERY_KIND])).code).toBe(2);
  });

  it('--require-digest fails on every unpinned image and names each, text still on stdout', async () => {
    const r = await run(['--require-digest', EVERY_KIND]);
    expect(r.code).toBe(1);
    expect(r.stdout.endsWith('9 images in 10 containers: 1 pinned by digest, 8 not\n')).toBe(true);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(8);
    expect(r.stderr).toContain(
      "bulwark images: not pinned by digest: 'ghcr.io/acme/run@sha256:abc' (invalid), run by 1 container(s); pin it as registry/repo:tag@sha256:<digest>\n",
    );
    expect(r.stderr).toContain('bulwark images: not pinned by digest: (no image) (missing)');
  });

  it('--require-digest passes when everything is pinned; without it, unpinned images do not fail', async () => {
    expect(await run(['--require-digest', '-'], PINNED)).toEqual({
      code: 0,
      stdout: `pinned    ghcr.io/acme/app:1.0@sha256:${D}\n          Pod x/p container 'c' (stdin:1)\n1 images in 1 containers: 1 pinned by digest, 0 not\n`,
      stderr: '',
    });
    expect((await run([EVERY_KIND])).code).toBe(0);
  });

  it('--format list writes valid references only and says on stderr what it left out', async () => {
    const r = await run(['--format', 'list', EVERY_KIND]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toHaveLength(5);
    expect(r.stderr).toContain(
      "bulwark images: left out of the list: 'ghcr.io/acme/run@sha256:abc', not a valid image reference (CronJob jobs/nightly, spec.jobTemplate.spec.template.spec.containers[0].image)\n",
    );
    expect(r.stderr).toContain(
      'bulwark images: left out of the list: a container with no image (Pod shop/debug-me, spec.containers[4].image)\n',
    );
  });

  it('an empty input is an input error, not an empty list', async () => {
    expect(await run(['-'], '')).toEqual({
      code: 2,
      stdout: '0 images in 0 containers: 0 pinned by digest, 0 not\n',
      stderr:
        'bulwark images: stdin: no Kubernetes objects in the input: an empty input usually means the command that produced it failed\n',
    });
  });

  it('writes JSON to --output', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-images-'));
    try {
      const io = captureIo(dir, PINNED);
      expect(await imagesCommand(['--format', 'json', '--output', 'out/images.json', '-'], io)).toBe(0);
      const json = JSON.parse(fs.readFileSync(path.join(dir, 'out/images.json'), 'utf8'));
      expect(json.summary).toEqual({ images: 1, containers: 1, pinned: 1, unpinned: 0 });
      expect(json.images[0]).toMatchObject({ registry: 'ghcr.io', repository: 'acme/app', digest: `sha256:${D}` });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('bulwark images (the bin)', () => {
  it('lists the corpus for a scanner from the command line', () => {
    const r = spawnSync(
      process.execPath,
      ['bin/bulwark.js', 'images', '--format', 'list', 'test/corpus/real-world/ingress-nginx'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      'registry.k8s.io/ingress-nginx/controller:v1.15.1@sha256:594ceea76b01c592858f803f9ff4d2cb40542cae2060410b2c95f75907d659e1\n' +
        'registry.k8s.io/ingress-nginx/kube-webhook-certgen:v1.6.9@sha256:01038e7de14b78d702d2849c3aad72fd25903c4765af63cf16aa3398f5d5f2dd\n',
    );
  });
});
