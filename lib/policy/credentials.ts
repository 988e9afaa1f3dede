/**
 * Recognising literal credentials in configuration (container env values, ConfigMap data) without ever printing them:
 * by a name that says "this is a secret" and a value that is one, by the shape of well-known token formats, and by the
 * entropy of a long single-token value. Every function returns a reason (which test fired), never the value.
 */

/** Words that, as the last word of a name, say the value is a credential. */
const SECRET_WORDS: ReadonlySet<string> = new Set([
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'secret',
  'token',
  'apikey',
  'credential',
  'credentials',
]);

/** Qualifiers that make a trailing `key` a secret one (`API_KEY`, `AWS_SECRET_ACCESS_KEY`, `privateKey`). */
const KEY_QUALIFIERS: ReadonlySet<string> = new Set([
  'api',
  'access',
  'secret',
  'private',
  'encryption',
  'signing',
  'master',
  'license',
]);

/** Splits `GF_SECURITY_ADMIN_PASSWORD`, `oidc.clientSecret`, `api-key` into lower-case words. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => w.toLowerCase());
}

/**
 * Whether a variable or key name says its value is a credential: its last word is a secret word (`DB_PASSWORD`,
 * `clientSecret`, `GITHUB_TOKEN`), or it ends in a qualified key (`API_KEY`, `AWS_SECRET_ACCESS_KEY`). Names that
 * point at a secret (`TOKEN_FILE`, `passwordRef`, `SECRET_NAME`) or describe one (`TOKEN_TTL`) are not.
 */
export function isSecretLikeName(name: string): boolean {
  const words = nameWords(name);
  const last = words[words.length - 1];
  if (last === undefined) return false;
  if (SECRET_WORDS.has(last)) return true;
  if (last === 'key' && words.length >= 2) return KEY_QUALIFIERS.has(words[words.length - 2]);
  return last === 'privatekey' || last === 'secretkey' || last === 'accesskey';
}

/** Well-known credential formats: prefix and shape fixed by the issuer, so a match is almost never by chance. */
export const TOKEN_FORMATS: readonly { readonly name: string; readonly pattern: RegExp }[] = [
  { name: 'a private key (PEM)', pattern: /-----BEGIN (?:[A-Z0-9]+ )?PRIVATE KEY(?: BLOCK)?-----/ },
  { name: 'an AWS access key id', pattern: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/ },
  { name: 'a GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,})\b/ },
  { name: 'a GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}\b/ },
  { name: 'a Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/ },
  { name: 'a Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { name: 'a Stripe secret key', pattern: /\b[sr]k_live_[0-9A-Za-z]{20,}\b/ },
  { name: 'a JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
  { name: 'credentials in a URL', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:[^\s/@]{3,}@/i },
];

/** The known token format a value contains, if any. */
export function knownTokenFormat(value: string): string | undefined {
  for (const f of TOKEN_FORMATS) if (f.pattern.test(value)) return f.name;
  return undefined;
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const n = [...value].length;
  let bits = 0;
  for (const c of counts.values()) {
    const p = c / n;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** Entropy threshold (bits per character) and length range of the high-entropy test. */
export const HIGH_ENTROPY_BITS = 4.2;
export const HIGH_ENTROPY_MIN_LENGTH = 24;
export const HIGH_ENTROPY_MAX_LENGTH = 256;

/**
 * Whether a value looks like a generated secret: one token (no white space) of 24 to 256 characters, with letters
 * and digits, at least 4.2 bits of entropy per character, and not a URL, path, image reference, UUID or hex digest
 * (those are long and random-looking without being secrets).
 */
export function isHighEntropySecret(value: string): boolean {
  if (value.length < HIGH_ENTROPY_MIN_LENGTH || value.length > HIGH_ENTROPY_MAX_LENGTH) return false;
  if (/\s/.test(value) || !/[A-Za-z]/.test(value) || !/[0-9]/.test(value)) return false;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || value.includes('/') || value.includes('@sha256:')) return false;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) return false;
  if (/^[0-9a-f]+$/i.test(value) && value.length % 8 === 0) return false; // a digest or checksum
  return shannonEntropy(value) >= HIGH_ENTROPY_BITS;
}

/** Values that say "nothing here" or point elsewhere: never a literal credential. */
function isPlaceholder(value: string): boolean {
  const v = value.trim();
  return (
    v === '' ||
    /^(?:true|false|yes|no|null|none|changeme|<.*>)$/i.test(v) ||
    /^\$\(\w+\)$/.test(v) || // $(VAR) expansion of another env variable
    /^\$\{[^}]+\}$/.test(v) || // ${VAR} filled in by the application or a template
    /^\$[A-Za-z_][\w.:-]*$/.test(v) || // $name: a reference to a Secret key (Argo CD's `$oidc.clientSecret`)
    /^\/\S*$/.test(v) // a file path
  );
}

/**
 * Why `value`, held under `name`, is a literal credential (the test that fired, never the value), or undefined.
 * Order: a known token format, a secret-looking name with a literal value, a high-entropy value.
 */
export function credentialReason(name: string, value: string): string | undefined {
  const format = knownTokenFormat(value);
  if (format) return `its value has the format of ${format}`;
  if (isSecretLikeName(name) && !isPlaceholder(value)) return 'its name says it is a secret and its value is literal';
  if (isHighEntropySecret(value)) return 'its value is a long random-looking string (high entropy)';
  return undefined;
}
