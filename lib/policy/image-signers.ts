import { isRecord } from '../k8s/k8s-object';

/**
 * Who may sign the images a cluster runs: a Cosign public key, or a keyless (Fulcio) identity given by the OIDC issuer
 * and the certificate subject (exactly, or as a regular expression). One list serves the CI template's `cosign verify`
 * and the admission side's ClusterImagePolicy, so both trust the same signers.
 */
export type ImageSigner =
  | { readonly name: string; readonly key: string }
  | { readonly name: string; readonly issuer: string; readonly subject: string }
  | { readonly name: string; readonly issuer: string; readonly subjectRegExp: string };

/** A signer list that cannot be used, with where and why. */
export class ImageSignerError extends Error {}

const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const PEM = /^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+\n-----END PUBLIC KEY-----\n?$/;
const KEYS = ['name', 'key', 'issuer', 'subject', 'subjectRegExp'] as const;

function text(at: string, field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ImageSignerError(
      `${at}.${field}: expected a non-empty string, got ${JSON.stringify(value) ?? 'nothing'}`,
    );
  }
  // The values end up in CI workflow files, whose runners evaluate `${{ ... }}` anywhere in a value.
  if (value.includes('${{') || value.includes('$[[')) {
    throw new ImageSignerError(
      `${at}.${field}: '${value}' contains a CI expression ('\${{' or '$[['): signers are literal values`,
    );
  }
  return value;
}

/**
 * Validates a list of signers (from a stack's `bulwark:signers` or an init-ci `--signers` file). Each entry has a
 * DNS-label `name` and exactly one of: `key` (a PEM public key), `issuer` + `subject`, `issuer` + `subjectRegExp`.
 */
export function parseImageSigners(value: unknown, at = 'signers'): ImageSigner[] {
  if (!Array.isArray(value)) {
    throw new ImageSignerError(
      `${at}: expected a list of signers ({ name, key } or { name, issuer, subject | subjectRegExp }), got ${JSON.stringify(value) ?? 'nothing'}`,
    );
  }
  const names = new Set<string>();
  return value.map((entry, i) => {
    const here = `${at}[${i}]`;
    if (!isRecord(entry)) throw new ImageSignerError(`${here}: expected a mapping, got ${JSON.stringify(entry)}`);
    const unknown = Object.keys(entry).filter((k) => !(KEYS as readonly string[]).includes(k));
    if (unknown.length) {
      throw new ImageSignerError(`${here}: unknown field '${unknown[0]}': allowed are ${KEYS.join(', ')}`);
    }
    const name = text(here, 'name', entry.name);
    if (!NAME.test(name)) {
      throw new ImageSignerError(`${here}.name: '${name}' is not a DNS label (lower-case letters, digits, '-')`);
    }
    if (names.has(name)) throw new ImageSignerError(`${here}.name: '${name}' is used twice: names must be unique`);
    names.add(name);
    const hasKey = entry.key !== undefined;
    const hasIdentity = entry.issuer !== undefined || entry.subject !== undefined || entry.subjectRegExp !== undefined;
    if (hasKey === hasIdentity) {
      throw new ImageSignerError(
        `${here}: give either key (a Cosign public key) or issuer with subject or subjectRegExp (a keyless identity)`,
      );
    }
    if (hasKey) {
      const key = text(here, 'key', entry.key);
      if (!PEM.test(key.replace(/\r\n/g, '\n'))) {
        throw new ImageSignerError(
          `${here}.key: not a PEM public key: expected '-----BEGIN PUBLIC KEY-----' ... '-----END PUBLIC KEY-----' (the content of cosign.pub)`,
        );
      }
      return { name, key: key.replace(/\r\n/g, '\n').replace(/\n?$/, '\n') };
    }
    const issuer = text(here, 'issuer', entry.issuer);
    if (!/^https:\/\/[^\s/]+/.test(issuer)) {
      throw new ImageSignerError(`${here}.issuer: '${issuer}' is not an https:// OIDC issuer URL`);
    }
    if ((entry.subject === undefined) === (entry.subjectRegExp === undefined)) {
      throw new ImageSignerError(`${here}: a keyless signer needs exactly one of subject and subjectRegExp`);
    }
    if (entry.subject !== undefined) return { name, issuer, subject: text(here, 'subject', entry.subject) };
    const subjectRegExp = text(here, 'subjectRegExp', entry.subjectRegExp);
    if (!subjectRegExp.startsWith('^') || !subjectRegExp.endsWith('$')) {
      // An unanchored pattern matches any subject that merely contains it: `acme/app` also matches `evil/acme/app-x`.
      throw new ImageSignerError(
        `${here}.subjectRegExp: '${subjectRegExp}' is not anchored: start it with ^ and end it with $ so that it cannot match inside another subject`,
      );
    }
    try {
      new RegExp(subjectRegExp);
    } catch (e) {
      throw new ImageSignerError(
        `${here}.subjectRegExp: '${subjectRegExp}' is not a regular expression: ${(e as Error).message}`,
      );
    }
    return { name, issuer, subjectRegExp };
  });
}
