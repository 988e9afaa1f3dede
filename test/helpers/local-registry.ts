import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

/**
 * A real OCI distribution registry for tests: Debian's `docker-registry` (distribution 2.8), on 127.0.0.1 only, with
 * bearer-token auth. The token server is the test's own (the registry verifies its RS256 tokens against a self-signed
 * certificate made with openssl): anonymous pulls of `public/*`, everything else needs the user `ci`/`secret`.
 */
export const REGISTRY_BINARY = '/usr/bin/docker-registry';
export const USER = { username: 'ci', password: 'secret' };
/** The identity (OAuth2 refresh) token the token service accepts for USER, as `docker login` stores for some registries. */
export const IDENTITY_TOKEN = 'idt-0f3c9a7e-2b1d-4c8e-9a55-bulwark-test';

export interface LocalRegistry {
  /** `127.0.0.1:<port>`, as written in image references. */
  readonly host: string;
  readonly dir: string;
  /** Token requests the token server answered, for assertions on auth. */
  readonly tokenRequests: { scope: string; user?: string }[];
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

function signToken(key: crypto.KeyObject, certDer: Buffer, scope: string, service: string): string {
  const header = { typ: 'JWT', alg: 'RS256', x5c: [certDer.toString('base64')] };
  const now = Math.floor(Date.now() / 1000);
  const [type, name, actions] = scope.split(':');
  const claims = {
    iss: 'bulwark-test-issuer',
    sub: 'ci',
    aud: service,
    exp: now + 300,
    nbf: now - 10,
    iat: now,
    jti: crypto.randomUUID(),
    access: scope ? [{ type, name, actions: actions.split(',') }] : [],
  };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  return `${input}.${b64url(crypto.sign('sha256', Buffer.from(input), key))}`;
}

async function waitFor(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const until = Date.now() + 15_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited (${child.exitCode}):\n${log()}`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`docker-registry did not listen within 15 s:\n${log()}`);
}

export async function startRegistry(): Promise<LocalRegistry> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-registry-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=bulwark-test-token',
    '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
  ], { stdio: 'ignore' }); // prettier-ignore
  const key = crypto.createPrivateKey(fs.readFileSync(path.join(dir, 'key.pem')));
  const certDer = new crypto.X509Certificate(fs.readFileSync(path.join(dir, 'cert.pem'))).raw;
  const tokenRequests: { scope: string; user?: string }[] = [];
  const service = 'bulwark-test-registry';
  const issue = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // GET with basic auth (docker's "token" flow) or POST with a refresh token (the OAuth2 flow of identity tokens).
    const form = req.method === 'POST' ? new URLSearchParams(body) : undefined;
    const scope = (form ?? url.searchParams).get('scope') ?? '';
    if (form && (form.get('grant_type') !== 'refresh_token' || form.get('refresh_token') !== IDENTITY_TOKEN)) {
      tokenRequests.push({ scope, user: '(bad refresh token)' });
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"bad refresh token"}');
      return;
    }
    const auth = req.headers.authorization;
    const user = form
      ? `${USER.username}:${USER.password}`
      : auth?.startsWith('Basic ')
        ? Buffer.from(auth.slice(6), 'base64').toString()
        : undefined;
    tokenRequests.push({ scope, ...(user ? { user: form ? 'identity-token' : user.split(':')[0] } : {}) });
    const anonymousOk = scope === '' || (scope.startsWith('repository:public/') && scope.endsWith(':pull'));
    if (user !== `${USER.username}:${USER.password}` && !(user === undefined && anonymousOk)) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"bad credentials"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    const token = signToken(key, certDer, scope, service);
    res.end(JSON.stringify(form ? { access_token: token, expires_in: 300 } : { token, expires_in: 300 }));
  };
  const tokens = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => issue(req, res, body));
  });
  await new Promise<void>((r) => tokens.listen(0, '127.0.0.1', r));
  const tokenPort = (tokens.address() as net.AddressInfo).port;
  const port = await freePort();
  fs.writeFileSync(
    path.join(dir, 'config.yml'),
    [
      'version: 0.1',
      'log: { level: warn }',
      `storage: { filesystem: { rootdirectory: ${path.join(dir, 'data')} }, delete: { enabled: true } }`,
      `http: { addr: "127.0.0.1:${port}" }`,
      'auth:',
      '  token:',
      `    realm: http://127.0.0.1:${tokenPort}/token`,
      `    service: ${service}`,
      '    issuer: bulwark-test-issuer',
      `    rootcertbundle: ${path.join(dir, 'cert.pem')}`,
      '',
    ].join('\n'),
  );
  let log = '';
  const child = spawn(REGISTRY_BINARY, ['serve', path.join(dir, 'config.yml')], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d) => (log += d));
  child.stderr?.on('data', (d) => (log += d));
  await waitFor(`http://127.0.0.1:${port}/v2/`, child, () => log);
  return {
    host: `127.0.0.1:${port}`,
    dir,
    tokenRequests,
    async stop() {
      child.kill('SIGTERM');
      await new Promise<void>((r) => (child.exitCode !== null ? r() : child.once('exit', () => r())));
      await new Promise<void>((r) => tokens.close(() => r()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Pushes through the distribution API with the test user's token: blobs, then a manifest under a tag. */
export class Pusher {
  private readonly tokens = new Map<string, string>();

  constructor(private readonly registry: LocalRegistry) {}

  private async token(repository: string): Promise<string> {
    const cached = this.tokens.get(repository);
    if (cached) return cached;
    const probe = await fetch(`http://${this.registry.host}/v2/`);
    const challenge = probe.headers.get('www-authenticate') ?? '';
    const realm = /realm="([^"]+)"/.exec(challenge)?.[1];
    const service = /service="([^"]+)"/.exec(challenge)?.[1];
    const url = `${realm}?service=${service}&scope=repository:${repository}:pull,push`;
    const basic = Buffer.from(`${USER.username}:${USER.password}`).toString('base64');
    const res = await fetch(url, { headers: { authorization: `Basic ${basic}` } });
    const token = ((await res.json()) as { token: string }).token;
    this.tokens.set(repository, token);
    return token;
  }

  private async call(repository: string, url: string, init: RequestInit): Promise<Response> {
    const headers = {
      ...(init.headers as Record<string, string>),
      authorization: `Bearer ${await this.token(repository)}`,
    };
    const res = await fetch(url, { ...init, headers });
    if (res.status >= 300) throw new Error(`${init.method} ${url}: ${res.status} ${await res.text()}`);
    return res;
  }

  /** Uploads a blob (monolithic upload); returns its descriptor. */
  async blob(repository: string, content: Buffer | string, mediaType: string) {
    const bytes = Buffer.from(content);
    const digest = `sha256:${crypto.createHash('sha256').update(bytes).digest('hex')}`;
    const base = `http://${this.registry.host}/v2/${repository}/blobs/uploads/`;
    const start = await this.call(repository, base, { method: 'POST' });
    const location = new URL(start.headers.get('location') as string, `http://${this.registry.host}`);
    location.searchParams.set('digest', digest);
    await this.call(repository, location.toString(), {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    return { mediaType, digest, size: bytes.length };
  }

  /** An image manifest for one platform (config + one layer); returns its bytes' descriptor. */
  async image(repository: string, reference: string, platform: { os: string; architecture: string }, salt = '') {
    const config = await this.blob(
      repository,
      JSON.stringify({ ...platform, rootfs: { type: 'layers', diff_ids: [] }, config: {}, salt }),
      'application/vnd.oci.image.config.v1+json',
    );
    const layer = await this.blob(
      repository,
      `layer ${platform.architecture} ${salt}`,
      'application/vnd.oci.image.layer.v1.tar',
    );
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config,
      layers: [layer],
    });
    return this.manifest(repository, reference, manifest, 'application/vnd.oci.image.manifest.v1+json');
  }

  /** A multi-platform index of images pushed first; returns its descriptor. */
  async index(repository: string, tag: string, platforms: { os: string; architecture: string }[], salt = '') {
    const manifests = [];
    for (const p of platforms) {
      const d = await this.image(repository, `${tag}-${p.architecture}`, p, salt);
      manifests.push({ ...d, platform: p });
    }
    const index = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests });
    return this.manifest(repository, tag, index, 'application/vnd.oci.image.index.v1+json');
  }

  async manifest(repository: string, reference: string, body: string, mediaType: string) {
    await this.call(repository, `http://${this.registry.host}/v2/${repository}/manifests/${reference}`, {
      method: 'PUT',
      headers: { 'content-type': mediaType },
      body,
    });
    const digest = `sha256:${crypto.createHash('sha256').update(body).digest('hex')}`;
    return { mediaType, digest, size: Buffer.byteLength(body) };
  }
}
