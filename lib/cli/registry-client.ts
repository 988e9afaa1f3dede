import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ImageRef } from '../k8s/image-ref';
import { LockedImage, MANIFEST_MEDIA_TYPES, ManifestMediaType } from '../k8s/images-lock';

/**
 * A read-only client of the OCI distribution API (https://github.com/opencontainers/distribution-spec), enough to
 * resolve a tag to the digest of its manifest: GET /v2/<name>/manifests/<tag> with the manifest media types
 * accepted, bearer-token auth (the registry's WWW-Authenticate challenge, the token realm, anonymous or with
 * credentials from the Docker config) or basic auth, and the config blob of a single-platform image for its platform.
 *
 * Hostile or broken registries end in a RegistryError within bounded time and memory: every request has a timeout,
 * every body a size limit, 429 and 5xx answers are retried a bounded number of times (Retry-After honoured up to a
 * bound), and a Docker-Content-Digest header that disagrees with the sha256 of the bytes received is refused.
 */

/** The OCI distribution spec's manifest size that registries must accept: 4 MiB. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const MAX_TOKEN_BYTES = 1024 * 1024;
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;
const MAX_ATTEMPTS = 3;
const MAX_RETRY_AFTER_SECONDS = 30;

export class RegistryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegistryError';
  }
}

export interface RegistryClientOptions {
  /** Per request. @default 30000 */
  readonly timeoutMs?: number;
  /**
   * Docker config file (as `docker login` writes it): `credHelpers`, `credsStore`, `auths`.
   * @default $DOCKER_CONFIG/config.json, else ~/.docker/config.json
   */
  readonly dockerConfig?: string;
  /** Waits between retries; tests shorten it. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** A user name and password (basic auth, or the token service's basic auth), or an identity (refresh) token. */
type Credentials =
  | { readonly kind: 'password'; readonly username: string; readonly password: string }
  | { readonly kind: 'identity'; readonly token: string };

/** Registries reached over plain HTTP: loopback only, as Docker treats 127.0.0.0/8 as an insecure registry. */
function isLoopback(host: string): boolean {
  const name = host.replace(/:\d+$/, '');
  return name === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(name) || name === '[::1]';
}

/** The API endpoint of a registry named in an image reference (`docker.io` is served by registry-1.docker.io). */
export function registryBaseUrl(registry: string): string {
  const host = registry === 'docker.io' ? 'registry-1.docker.io' : registry;
  return `${isLoopback(host) ? 'http' : 'https'}://${host}`;
}

/** Parses `Bearer realm="…",service="…",scope="…"` (RFC 7235 auth-params; quoted values may hold commas). */
export function parseChallenge(header: string): { scheme: string; params: Record<string, string> } | undefined {
  const m = /^\s*([A-Za-z]+)\s*(.*)$/s.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  const re = /([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?\s*/gy;
  let p: RegExpExecArray | null;
  while ((p = re.exec(m[2])) !== null && p[0] !== '') {
    params[p[1].toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3];
  }
  return { scheme: m[1].toLowerCase(), params };
}

function dockerConfigPath(explicit?: string): string {
  if (explicit) return explicit;
  const dir = process.env.DOCKER_CONFIG ?? path.join(os.homedir(), '.docker');
  return path.join(dir, 'config.json');
}

const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const HELPER_TIMEOUT_MS = 10_000;
const MAX_HELPER_OUTPUT = 64 * 1024;

interface DockerConfig {
  readonly credHelpers?: Record<string, unknown>;
  readonly credsStore?: unknown;
  readonly auths?: Record<string, { auth?: unknown; username?: unknown; password?: unknown; identitytoken?: unknown }>;
}

/** The keys Docker files a registry under: `https://index.docker.io/v1/` for Docker Hub, else its host. */
function configKeys(registry: string): string[] {
  return registry === 'docker.io'
    ? ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io']
    : [registry, `https://${registry}`, `http://${registry}`];
}

/**
 * Runs `docker-credential-<helper> get` as Docker does (the server URL on stdin, JSON {Username, Secret} on stdout;
 * Username `<token>` means Secret is an identity token). A helper that says it has no credentials means anonymous.
 */
function fromHelper(helper: unknown, registry: string, source: string): Credentials | undefined {
  if (typeof helper !== 'string' || !HELPER_NAME.test(helper)) {
    throw new RegistryError(`${source}: the credential helper ${JSON.stringify(helper)} is not a helper name`);
  }
  const program = `docker-credential-${helper}`;
  const server = registry === 'docker.io' ? 'https://index.docker.io/v1/' : registry;
  const run = spawnSync(program, ['get'], {
    input: server,
    env: process.env,
    encoding: 'utf8',
    timeout: HELPER_TIMEOUT_MS,
    maxBuffer: MAX_HELPER_OUTPUT,
  });
  // EPIPE: the helper answered without reading the server URL; its answer still counts.
  if (run.error && (run.error as NodeJS.ErrnoException).code !== 'EPIPE') {
    const code = (run.error as NodeJS.ErrnoException).code;
    throw new RegistryError(
      code === 'ENOENT'
        ? `${source} names the credential helper '${helper}' for ${registry}, but ${program} is not on PATH: install it or remove it from ${source}`
        : `the credential helper ${program} failed for ${registry} (${code === 'ETIMEDOUT' ? `no answer within ${HELPER_TIMEOUT_MS / 1000} s` : run.error.message})`,
    );
  }
  if (run.status !== 0) {
    // docker-credential-helpers' "credentials not found in native keychain": not logged in to this registry.
    if (/credentials not found/i.test(run.stdout + run.stderr)) return undefined;
    throw new RegistryError(`the credential helper ${program} failed for ${registry} (exit ${run.status})`);
  }
  let answer: { Username?: unknown; Secret?: unknown };
  try {
    answer = JSON.parse(run.stdout) as typeof answer;
  } catch {
    throw new RegistryError(`the credential helper ${program} answered something that is not JSON for ${registry}`);
  }
  if (typeof answer.Secret !== 'string' || answer.Secret === '' || typeof answer.Username !== 'string') {
    throw new RegistryError(`the credential helper ${program} answered no Username and Secret for ${registry}`);
  }
  return answer.Username === '<token>'
    ? { kind: 'identity', token: answer.Secret }
    : { kind: 'password', username: answer.Username, password: answer.Secret };
}

/**
 * The credentials for `registry` as Docker finds them: the registry's entry in `credHelpers`, else the `credsStore`
 * helper, else the inline `auths` entry (`identitytoken`, `username`/`password` or `auth`). Helpers are run.
 */
function credentialsFor(registry: string, configFile: string): Credentials | undefined {
  let config: DockerConfig;
  try {
    config = JSON.parse(fs.readFileSync(configFile, 'utf8')) as DockerConfig;
  } catch {
    return undefined;
  }
  if (typeof config !== 'object' || config === null) return undefined;
  const keys = configKeys(registry);
  const helperKey = keys.find((k) => config.credHelpers?.[k] !== undefined);
  if (helperKey !== undefined)
    return fromHelper(config.credHelpers?.[helperKey], registry, `${configFile} credHelpers`);
  if (config.credsStore !== undefined && config.credsStore !== '') {
    return fromHelper(config.credsStore, registry, `${configFile} credsStore`);
  }
  for (const k of keys) {
    const e = config.auths?.[k];
    if (!e || typeof e !== 'object') continue;
    if (typeof e.identitytoken === 'string' && e.identitytoken !== '')
      return { kind: 'identity', token: e.identitytoken };
    if (typeof e.username === 'string' && typeof e.password === 'string') {
      return { kind: 'password', username: e.username, password: e.password };
    }
    if (typeof e.auth === 'string') {
      const text = Buffer.from(e.auth, 'base64').toString();
      const colon = text.indexOf(':');
      if (colon > 0) return { kind: 'password', username: text.slice(0, colon), password: text.slice(colon + 1) };
    }
  }
  return undefined;
}

const basic = (c: { username: string; password: string }) =>
  `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;

async function readLimited(res: Response, limit: number, what: string): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > limit) {
    await res.body?.cancel();
    throw new RegistryError(`${what} is ${declared} bytes, more than the ${limit} bytes allowed`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new RegistryError(`${what} is more than the ${limit} bytes allowed`);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

const sha256 = (b: Buffer) => `sha256:${crypto.createHash('sha256').update(b).digest('hex')}`;

function platformOf(p: unknown): string | undefined {
  if (typeof p !== 'object' || p === null) return undefined;
  const { os: o, architecture: a, variant: v } = p as Record<string, unknown>;
  if (typeof o !== 'string' || typeof a !== 'string') return undefined;
  return `${o}/${a}${typeof v === 'string' && v ? `/${v}` : ''}`;
}

export class RegistryClient {
  private readonly tokens = new Map<string, string>();
  private readonly timeoutMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly configFile: string;

  constructor(options: RegistryClientOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.configFile = dockerConfigPath(options.dockerConfig);
  }

  /** Resolves `ref`'s tag: the digest of the manifest bytes, their media type and the platforms they run on. */
  public async resolve(ref: ImageRef): Promise<LockedImage> {
    if (ref.tag === undefined) throw new RegistryError('the reference has no tag to resolve');
    const base = `${registryBaseUrl(ref.registry)}/v2/${ref.repository}`;
    const res = await this.get(ref, `${base}/manifests/${ref.tag}`, MANIFEST_MEDIA_TYPES.join(', '));
    const body = await readLimited(res, MAX_MANIFEST_BYTES, 'the manifest');
    const digest = sha256(body);
    const claimed = res.headers.get('docker-content-digest');
    if (claimed && claimed !== digest) {
      throw new RegistryError(
        `the registry says the manifest is ${claimed}, but the bytes it sent hash to ${digest}; refusing to pin what the registry cannot vouch for`,
      );
    }
    let manifest: Record<string, unknown>;
    try {
      manifest = JSON.parse(body.toString('utf8'));
    } catch {
      throw new RegistryError('the manifest is not JSON');
    }
    const mediaType = (manifest.mediaType ?? res.headers.get('content-type')?.split(';')[0].trim()) as string;
    if (!(MANIFEST_MEDIA_TYPES as readonly string[]).includes(mediaType)) {
      throw new RegistryError(`the manifest's media type '${mediaType}' is not an image manifest or index`);
    }
    let platforms: string[];
    if (Array.isArray(manifest.manifests)) {
      platforms = manifest.manifests
        .map((m) => platformOf((m as Record<string, unknown>)?.platform))
        .filter((p): p is string => p !== undefined && p !== 'unknown/unknown');
    } else {
      const config = manifest.config as { digest?: unknown } | undefined;
      if (typeof config?.digest !== 'string' || !/^sha256:[a-f0-9]{64}$/.test(config.digest)) {
        throw new RegistryError('the image manifest names no sha256 config digest');
      }
      const blob = await this.get(ref, `${base}/blobs/${config.digest}`, '*/*');
      const bytes = await readLimited(blob, MAX_CONFIG_BYTES, 'the image config');
      if (sha256(bytes) !== config.digest) throw new RegistryError('the image config does not hash to its digest');
      let parsed: unknown;
      try {
        parsed = JSON.parse(bytes.toString('utf8'));
      } catch {
        throw new RegistryError('the image config is not JSON');
      }
      const p = platformOf(parsed);
      platforms = p ? [p] : [];
    }
    return { digest, mediaType: mediaType as ManifestMediaType, platforms: [...new Set(platforms)].sort() };
  }

  private async fetchOnce(url: string, headers: Record<string, string>, body?: string): Promise<Response> {
    try {
      return await fetch(url, {
        headers,
        signal: AbortSignal.timeout(this.timeoutMs),
        ...(body !== undefined ? { method: 'POST', body } : {}),
      });
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      const why =
        (e as Error).name === 'TimeoutError'
          ? `no answer within ${this.timeoutMs / 1000} s`
          : (cause?.code ?? cause?.message ?? (e as Error).message);
      throw new RegistryError(`cannot reach ${new URL(url).host} (${why})`);
    }
  }

  /** GET with retries of 429 and 5xx, and one round of authentication on 401. */
  private async get(ref: ImageRef, url: string, accept: string): Promise<Response> {
    const scope = `repository:${ref.repository}:pull`;
    let authenticated = false;
    for (let attempt = 1; ; attempt++) {
      const token = this.tokens.get(`${ref.registry}|${scope}`);
      const headers: Record<string, string> = { accept };
      if (token) headers.authorization = token;
      const res = await this.fetchOnce(url, headers);
      if (res.ok) return res;
      await res.body?.cancel();
      if (res.status === 401 && !authenticated) {
        authenticated = true;
        await this.authenticate(ref, scope, res.headers.get('www-authenticate'));
        attempt--;
        continue;
      }
      if ((res.status === 429 || res.status >= 500) && attempt < MAX_ATTEMPTS) {
        const after = Number(res.headers.get('retry-after'));
        const seconds = Number.isFinite(after) && after >= 0 ? Math.min(after, MAX_RETRY_AFTER_SECONDS) : attempt * 2;
        await this.sleep(seconds * 1000);
        continue;
      }
      throw new RegistryError(this.describeFailure(ref, res, authenticated));
    }
  }

  private describeFailure(ref: ImageRef, res: Response, authenticated: boolean): string {
    const image = `${ref.registry}/${ref.repository}:${ref.tag}`;
    if (res.status === 404) return `${image} does not exist (HTTP 404): check the repository and tag`;
    if (res.status === 401 || res.status === 403) {
      return `the registry refused access to ${ref.registry}/${ref.repository} (HTTP ${res.status}${authenticated ? ' after authenticating' : ''}): log in with 'docker login ${ref.registry}' (bulwark reads its credentials as Docker does: credHelpers, credsStore, then auths of ${this.configFile})`;
    }
    if (res.status === 429) {
      return `${ref.registry} keeps rate-limiting (HTTP 429 after ${MAX_ATTEMPTS} attempts): retry later, or log in for a higher limit`;
    }
    return `${ref.registry} answered HTTP ${res.status} for ${image}`;
  }

  private async authenticate(ref: ImageRef, scope: string, header: string | null): Promise<void> {
    const challenge = header ? parseChallenge(header) : undefined;
    const creds = credentialsFor(ref.registry, this.configFile);
    const key = `${ref.registry}|${scope}`;
    if (challenge?.scheme === 'basic') {
      if (!creds) return; // the retry fails with the refusal and the fix
      if (creds.kind === 'identity') {
        throw new RegistryError(
          `${ref.registry} asks for basic authentication, but the credentials for it are an identity token, which only a token service takes`,
        );
      }
      this.tokens.set(key, basic(creds));
      return;
    }
    if (challenge?.scheme !== 'bearer' || !challenge.params.realm) {
      throw new RegistryError(
        `${ref.registry} asks for authentication bulwark does not speak (WWW-Authenticate: ${header ?? 'none'})`,
      );
    }
    let realm: URL;
    try {
      realm = new URL(challenge.params.realm);
    } catch {
      throw new RegistryError(`${ref.registry}'s token realm '${challenge.params.realm}' is not a URL`);
    }
    // Credentials travel only over TLS (or to a loopback token server).
    const secure = realm.protocol === 'https:' || (realm.protocol === 'http:' && isLoopback(realm.host));
    if (!secure) throw new RegistryError(`${ref.registry}'s token realm ${realm.origin} is neither https nor loopback`);
    if (challenge.params.service) realm.searchParams.set('service', challenge.params.service);
    realm.searchParams.set('scope', challenge.params.scope ?? scope);
    const headers: Record<string, string> = { accept: 'application/json' };
    let res: Response;
    if (creds?.kind === 'identity') {
      // An identity token is an OAuth2 refresh token: POSTed to the realm (distribution's token spec, "OAuth2").
      const form = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: creds.token,
        client_id: 'bulwark',
        scope: challenge.params.scope ?? scope,
        ...(challenge.params.service ? { service: challenge.params.service } : {}),
      });
      const post = new URL(realm.toString());
      post.search = '';
      res = await this.fetchOnce(
        post.toString(),
        {
          ...headers,
          'content-type': 'application/x-www-form-urlencoded',
        },
        form.toString(),
      );
    } else {
      if (creds) headers.authorization = basic(creds);
      res = await this.fetchOnce(realm.toString(), headers);
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new RegistryError(
        `the token service ${realm.origin} refused a token for ${scope} (HTTP ${res.status})${creds ? '' : `: log in with 'docker login ${ref.registry}'`}`,
      );
    }
    let token: unknown;
    try {
      const parsed = JSON.parse((await readLimited(res, MAX_TOKEN_BYTES, 'the token answer')).toString('utf8'));
      token = parsed.token ?? parsed.access_token;
    } catch (e) {
      if (e instanceof RegistryError) throw e;
      throw new RegistryError(`the token service ${realm.origin} answered something that is not JSON`);
    }
    if (typeof token !== 'string' || token === '' || /[\r\n]/.test(token)) {
      throw new RegistryError(`the token service ${realm.origin} answered no token`);
    }
    this.tokens.set(key, `Bearer ${token}`);
  }
}
