import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { BulwarkChart, HardenedDeployment } from '../../lib';
import { pinCommand } from '../../lib/cli/pin-command';
import { RegistryClient } from '../../lib/cli/registry-client';
import { parseImageRef } from '../../lib/k8s/image-ref';
import { captureIo } from '../helpers/capture-io';
import { errorOf, find, synth } from '../helpers/charts';
import { IDENTITY_TOKEN, LocalRegistry, Pusher, REGISTRY_BINARY, startRegistry, USER } from '../helpers/local-registry';

const AMD64 = { os: 'linux', architecture: 'amd64' };
const ARM64 = { os: 'linux', architecture: 'arm64' };

/**
 * `bulwark pin` against a real registry server: Debian's docker-registry (distribution 2.8) on 127.0.0.1 with
 * bearer-token auth, images pushed through the distribution API by the test.
 */
describe('bulwark pin and the images lock, against a real registry', () => {
  let registry: LocalRegistry;
  let push: Pusher;
  let dir: string;
  let index: { digest: string };
  let single: { digest: string };

  beforeAll(async () => {
    expect(fs.existsSync(REGISTRY_BINARY)).toBe(true); // CI installs the Debian package docker-registry
    registry = await startRegistry();
    push = new Pusher(registry);
    index = await push.index('public/web', '1.0', [AMD64, ARM64]);
    single = await push.image('private/api', '2.3.1', AMD64);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-pin-'));
    // No Docker config: anonymous unless a test writes one.
    process.env.DOCKER_CONFIG = path.join(dir, 'docker');
  }, 60_000);

  afterAll(async () => {
    delete process.env.DOCKER_CONFIG;
    await registry?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const lockFile = () => path.join(dir, 'bulwark.images.lock');
  const pin = async (...args: string[]) => {
    const io = captureIo(dir);
    const code = await pinCommand(['--lock', 'bulwark.images.lock', '--timeout', '5', ...args], io);
    return { code, out: io.out(), err: io.err() };
  };
  const login = () => {
    fs.mkdirSync(path.join(dir, 'docker'), { recursive: true });
    const auth = Buffer.from(`${USER.username}:${USER.password}`).toString('base64');
    fs.writeFileSync(path.join(dir, 'docker', 'config.json'), JSON.stringify({ auths: { [registry.host]: { auth } } }));
  };

  it('pins a multi-platform tag to its index digest (anonymous bearer token), and writes the lock', async () => {
    const web = `${registry.host}/public/web:1.0`;
    const r = await pin(web, '--platform', 'linux/arm64');
    expect(r).toEqual({
      code: 0,
      out: `  + ${web} ${index.digest}\nbulwark pin: wrote bulwark.images.lock (1 images)\n`,
      err: '',
    });
    expect(JSON.parse(fs.readFileSync(lockFile(), 'utf8'))).toEqual({
      lockfileVersion: 1,
      images: {
        [web]: {
          digest: index.digest,
          mediaType: 'application/vnd.oci.image.index.v1+json',
          platforms: ['linux/amd64', 'linux/arm64'],
        },
      },
    });
    expect(registry.tokenRequests).toContainEqual({ scope: 'repository:public/web:pull' });
  });

  it('refuses a private repository without credentials, naming docker login, and writes nothing', async () => {
    const before = fs.readFileSync(lockFile(), 'utf8');
    const r = await pin(`${registry.host}/private/api:2.3.1`);
    expect(r.code).toBe(1);
    expect(r.err.split('\n')[0]).toBe(
      'bulwark pin: 1 of 1 images not resolved; nothing was written to bulwark.images.lock',
    );
    expect(r.err).toMatch(
      /private\/api:2\.3\.1: the token service http:\/\/127\.0\.0\.1:\d+ refused a token for repository:private\/api:pull \(HTTP 401\): log in with 'docker login 127\.0\.0\.1:\d+'/,
    );
    expect(fs.readFileSync(lockFile(), 'utf8')).toBe(before);
  });

  it('pins a single-platform image with the credentials docker login stored, reading its platform from the config', async () => {
    login();
    const api = `${registry.host}/private/api:2.3.1`;
    const r = await pin(api);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`  + ${api} ${single.digest}\nbulwark pin: wrote bulwark.images.lock (2 images)\n`);
    expect(JSON.parse(fs.readFileSync(lockFile(), 'utf8')).images[api]).toEqual({
      digest: single.digest,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      platforms: ['linux/amd64'],
    });
    expect(registry.tokenRequests).toContainEqual({ scope: 'repository:private/api:pull', user: 'ci' });
  });

  it('lets the constructs write tagged images pinned by the lock, and refuses a tag the lock lacks', () => {
    const app = new App({ outdir: dir });
    const chart = new BulwarkChart(app, 'shop', { namespace: 'shop', defaults: { imagesLock: lockFile() } });
    new HardenedDeployment(chart, 'web', {
      image: `${registry.host}/public/web:1.0`,
      port: 8080,
      sidecars: [{ name: 'api', image: `${registry.host}/private/api:2.3.1`, ports: [{ name: 'api', port: 9090 }] }],
    });
    const pod = find(synth(chart as unknown as Chart), 'Deployment', 'web').spec.template.spec;
    expect(pod.containers[0].image).toBe(`${registry.host}/public/web:1.0@${index.digest}`);
    expect(pod.initContainers[0].image).toBe(`${registry.host}/private/api:2.3.1@${single.digest}`);
    expect(
      errorOf(() => new HardenedDeployment(chart, 'other', { image: `${registry.host}/public/web:1.1`, port: 8080 })),
    ).toBe(
      `HardenedDeployment at 'shop/other': prop 'image' received "${registry.host}/public/web:1.1" (the tag ':1.1' is mutable, and the images lock ${lockFile()} has no entry for it). ` +
        'Allowed: an image reference pinned by digest: registry/name@sha256:<64 hex>, or a tag the images lock pins. ' +
        `Fix: pin the image by digest, e.g. "ghcr.io/acme/api@sha256:<64 hex>" (docker buildx imagetools inspect <image> prints it), or record the tag's digest with 'bulwark pin ${registry.host}/public/web:1.1', or add the exemption { rule: 'image-digest', reason: '<why this image cannot be pinned>' }`,
    );
  });

  it('--check passes while tags stay put, and exits 1 naming the old and new digest once a tag moved; pin updates it', async () => {
    const web = `${registry.host}/public/web:1.0`;
    const ok = await pin('--check');
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('bulwark pin --check: 2 images match bulwark.images.lock\n');
    const moved = await push.index('public/web', '1.0', [AMD64, ARM64], 'rebuilt');
    const before = fs.readFileSync(lockFile(), 'utf8');
    const check = await pin('--check');
    expect(check.code).toBe(1);
    expect(check.out).toContain(`  ~ ${web} ${index.digest} -> ${moved.digest} (the tag moved)\n`);
    expect(check.err).toBe(
      'bulwark pin --check: 1 of 2 tags moved since bulwark.images.lock was written; review the new images, then run bulwark pin\n',
    );
    expect(fs.readFileSync(lockFile(), 'utf8')).toBe(before);
    const update = await pin();
    expect(update.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(lockFile(), 'utf8')).images[web].digest).toBe(moved.digest);
    index = moved;
  });

  it('refuses an unknown tag, a missing platform, :latest and a digest reference, writing nothing', async () => {
    const before = fs.readFileSync(lockFile(), 'utf8');
    const unknown = await pin(`${registry.host}/public/web:9.9`);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain(
      `  ${registry.host}/public/web:9.9: ${registry.host}/public/web:9.9 does not exist (HTTP 404): check the repository and tag\n`,
    );
    const platform = await pin(`${registry.host}/private/api:2.3.1`, '--platform', 'linux/arm64');
    expect(platform.code).toBe(1);
    expect(platform.err).toContain(`private/api:2.3.1: no image for linux/arm64 (it has linux/amd64)`);
    expect((await pin(`${registry.host}/public/web:latest`)).err).toBe(
      `bulwark pin: '${registry.host}/public/web:latest': no version tag (:latest or none names no version); give a tagged reference, e.g. ghcr.io/acme/api:1.2.3\n`,
    );
    expect((await pin(`${registry.host}/public/web@${index.digest}`)).code).toBe(2);
    expect(fs.readFileSync(lockFile(), 'utf8')).toBe(before);
  });

  it('refuses a registry whose Docker-Content-Digest disagrees with the bytes it sends (a lying proxy in front)', async () => {
    const liar = http.createServer(async (req, res) => {
      const upstream = await fetch(`http://${registry.host}${req.url}`, {
        headers: Object.fromEntries(
          Object.entries(req.headers).filter(([k]) => ['accept', 'authorization'].includes(k)),
        ) as Record<string, string>,
      });
      const headers: Record<string, string> = {};
      upstream.headers.forEach((v, k) => {
        if (!['content-length', 'content-encoding', 'transfer-encoding'].includes(k)) headers[k] = v;
      });
      let body = Buffer.from(await upstream.arrayBuffer());
      // Swap the manifest for another one, keeping the genuine digest header.
      if (req.url?.includes('/manifests/') && upstream.ok) body = Buffer.from(`${body.toString().trim()} `);
      res.writeHead(upstream.status, headers).end(body);
    });
    await new Promise<void>((r) => liar.listen(0, '127.0.0.1', r));
    const port = (liar.address() as net.AddressInfo).port;
    try {
      const client = new RegistryClient({ timeoutMs: 5000 });
      const ref = parseImageRef(`127.0.0.1:${port}/public/web:1.0`);
      await expect(client.resolve(ref!)).rejects.toThrow(
        `the registry says the manifest is ${index.digest}, but the bytes it sent hash to sha256:`,
      );
    } finally {
      await new Promise<void>((r) => liar.close(() => r()));
    }
  });

  it('ends within the timeout when the registry is unreachable or never answers, writing nothing', async () => {
    const before = fs.readFileSync(lockFile(), 'utf8');
    const silent = net.createServer(() => undefined); // accepts, never answers
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const started = Date.now();
      const io = captureIo(dir);
      const code = await pinCommand(
        ['--lock', 'bulwark.images.lock', '--timeout', '1', `127.0.0.1:${port}/a/b:1.0`],
        io,
      );
      expect(code).toBe(1);
      expect(io.err()).toContain(`127.0.0.1:${port}/a/b:1.0: cannot reach 127.0.0.1:${port} (no answer within 1 s)`);
      expect(Date.now() - started).toBeLessThan(5000);
      const free = net.createServer();
      await new Promise<void>((r) => free.listen(0, '127.0.0.1', r));
      const closedPort = (free.address() as net.AddressInfo).port;
      await new Promise<void>((r) => free.close(() => r()));
      const closed = await pin(`127.0.0.1:${closedPort}/a/b:1.0`);
      expect(closed.err).toContain(
        `127.0.0.1:${closedPort}/a/b:1.0: cannot reach 127.0.0.1:${closedPort} (ECONNREFUSED)`,
      );
    } finally {
      silent.close();
    }
    expect(fs.readFileSync(lockFile(), 'utf8')).toBe(before);
  });

  it('retries a rate-limited registry as Retry-After says, a bounded number of times', async () => {
    let calls = 0;
    const limited = http.createServer((_req, res) => {
      calls++;
      res.writeHead(429, { 'retry-after': '3600' }).end('slow down');
    });
    await new Promise<void>((r) => limited.listen(0, '127.0.0.1', r));
    const port = (limited.address() as net.AddressInfo).port;
    const waits: number[] = [];
    try {
      const client = new RegistryClient({ timeoutMs: 5000, sleep: async (ms) => void waits.push(ms) });
      await expect(client.resolve(parseImageRef(`127.0.0.1:${port}/a/b:1.0`)!)).rejects.toThrow(
        `127.0.0.1:${port} keeps rate-limiting (HTTP 429 after 3 attempts): retry later, or log in for a higher limit`,
      );
    } finally {
      limited.close();
    }
    expect(calls).toBe(3);
    expect(waits).toEqual([30_000, 30_000]); // Retry-After: 3600 is capped at 30 s
  });

  it('refuses a hand-edited or hostile lock with the file, the entry and the fix', () => {
    const bad = path.join(dir, 'bad.lock');
    const write = (doc: unknown) => fs.writeFileSync(bad, typeof doc === 'string' ? doc : JSON.stringify(doc));
    const build = () => {
      const app = new App({ outdir: dir });
      const chart = new BulwarkChart(app, 'shop', { namespace: 'shop', defaults: { imagesLock: bad } });
      return new HardenedDeployment(chart, 'web', { image: 'ghcr.io/acme/web:1.0', port: 8080 });
    };
    write({
      lockfileVersion: 1,
      images: { 'ghcr.io/acme/web:1.0': { digest: 'sha256:abc', mediaType: 'x', platforms: [] } },
    });
    expect(errorOf(build)).toBe(
      `HardenedDeployment at 'shop/web': prop 'image' received "ghcr.io/acme/web:1.0" (images lock ${bad} at images["ghcr.io/acme/web:1.0"].digest: received "sha256:abc", not sha256:<64 hex>. Fix: regenerate the entry with 'bulwark pin <image>' (never edit digests by hand)). ` +
        'Allowed: an image reference pinned by digest: registry/name@sha256:<64 hex>. Fix: pin the image by digest, e.g. "ghcr.io/acme/api@sha256:<64 hex>" (docker buildx imagetools inspect <image> prints it)',
    );
    write({
      lockfileVersion: 1,
      images: {
        'acme/web:1.0': {
          digest: `sha256:${'a'.repeat(64)}`,
          mediaType: 'application/vnd.oci.image.index.v1+json',
          platforms: [],
        },
      },
    });
    expect(errorOf(build)).toContain(`at images["acme/web:1.0"]: the key is not a canonical registry/repository:tag`);
    write('{ "lockfileVersion": 1, "images": {');
    expect(errorOf(build)).toContain(`images lock ${bad}: not JSON (`);
    write({ lockfileVersion: 2, images: {} });
    expect(errorOf(build)).toContain('at lockfileVersion: received 2, this bulwark reads version 1');
  });

  describe('finds credentials as Docker does: credHelpers, then credsStore, then auths (with identitytoken)', () => {
    const bin = () => path.join(dir, 'bin');
    const savedPath = process.env.PATH;
    /** A credential helper on PATH: docker-credential-<name>, answering for the registry only (stdin = server URL). */
    const helper = (name: string, answer: { Username: string; Secret: string }) => {
      fs.mkdirSync(bin(), { recursive: true });
      const file = path.join(bin(), `docker-credential-${name}`);
      fs.writeFileSync(
        file,
        `#!/bin/sh\nread server\necho "$server" >> "${path.join(dir, 'helper-calls')}"\n` +
          `if [ "$1" = get ] && [ "$server" = "${registry.host}" ]; then echo '${JSON.stringify(answer)}'; exit 0; fi\n` +
          'echo "credentials not found in native keychain"; exit 1\n',
      );
      fs.chmodSync(file, 0o755);
      process.env.PATH = `${bin()}${path.delimiter}${savedPath}`;
    };
    const config = (value: unknown) => {
      fs.mkdirSync(path.join(dir, 'docker'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'docker', 'config.json'), JSON.stringify(value));
    };
    const wrongAuth = Buffer.from('ci:wrong').toString('base64');
    const resolveApi = () =>
      new RegistryClient({ timeoutMs: 5000 }).resolve(parseImageRef(`${registry.host}/private/api:2.3.1`)!);
    const configFile = () => path.join(dir, 'docker', 'config.json');
    let savedConfig: string | undefined;
    beforeEach(() => {
      savedConfig = fs.existsSync(configFile()) ? fs.readFileSync(configFile(), 'utf8') : undefined;
    });
    afterEach(() => {
      if (savedConfig === undefined) fs.rmSync(configFile(), { force: true });
      else fs.writeFileSync(configFile(), savedConfig);
      process.env.PATH = savedPath;
      fs.rmSync(bin(), { recursive: true, force: true });
      fs.rmSync(path.join(dir, 'helper-calls'), { force: true });
    });

    it('credHelpers: runs docker-credential-<helper> get with the registry, before a stale auths entry', async () => {
      helper('bulwark-test', { Username: USER.username, Secret: USER.password });
      config({ credHelpers: { [registry.host]: 'bulwark-test' }, auths: { [registry.host]: { auth: wrongAuth } } });
      const before = registry.tokenRequests.length;
      expect((await resolveApi()).digest).toBe(single.digest);
      expect(fs.readFileSync(path.join(dir, 'helper-calls'), 'utf8')).toBe(`${registry.host}\n`);
      expect(registry.tokenRequests.slice(before)).toEqual([{ scope: 'repository:private/api:pull', user: 'ci' }]);
    });

    it('credsStore: the default helper for every registry, used when no credHelpers entry names one', async () => {
      helper('store', { Username: USER.username, Secret: USER.password });
      config({ credsStore: 'store', auths: { [registry.host]: {} } });
      expect((await resolveApi()).digest).toBe(single.digest);
    });

    it("identitytoken in auths, and a helper's <token> user: exchanged as an OAuth2 refresh token (POST)", async () => {
      config({ auths: { [registry.host]: { identitytoken: IDENTITY_TOKEN } } });
      let before = registry.tokenRequests.length;
      expect((await resolveApi()).digest).toBe(single.digest);
      expect(registry.tokenRequests.slice(before)).toEqual([
        { scope: 'repository:private/api:pull', user: 'identity-token' },
      ]);
      helper('oauth', { Username: '<token>', Secret: IDENTITY_TOKEN });
      config({ credHelpers: { [registry.host]: 'oauth' } });
      before = registry.tokenRequests.length;
      expect((await resolveApi()).digest).toBe(single.digest);
      expect(registry.tokenRequests.slice(before)).toEqual([
        { scope: 'repository:private/api:pull', user: 'identity-token' },
      ]);
      config({ auths: { [registry.host]: { identitytoken: 'revoked' } } });
      await expect(resolveApi()).rejects.toThrow(
        /^the token service http:\/\/127\.0\.0\.1:\d+ refused a token for repository:private\/api:pull \(HTTP 401\)$/,
      );
    });

    it('a helper that is not installed, or a helper name that is a path, is a clear error; "not found" is anonymous', async () => {
      config({ credHelpers: { [registry.host]: 'missing' } });
      await expect(resolveApi()).rejects.toThrow(
        `names the credential helper 'missing' for ${registry.host}, but docker-credential-missing is not on PATH: install it or remove it from`,
      );
      config({ credHelpers: { [registry.host]: '../../bin/sh' } });
      await expect(resolveApi()).rejects.toThrow('the credential helper "../../bin/sh" is not a helper name');
      // The helper knows no credentials for this registry: anonymous, refused by the private repository.
      helper('empty', { Username: 'x', Secret: 'y' });
      config({ credHelpers: { 'other.example': 'empty' }, credsStore: 'empty' });
      fs.writeFileSync(
        path.join(bin(), 'docker-credential-empty'),
        '#!/bin/sh\necho "credentials not found in native keychain"; exit 1\n',
      );
      await expect(resolveApi()).rejects.toThrow(
        /refused a token for repository:private\/api:pull \(HTTP 401\): log in with/,
      );
    });
  });
});
