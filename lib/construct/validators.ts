import { isIP } from 'net';
import { IConstruct } from 'constructs';
import { INT32_MAX } from '../k8s/api-integers';
import { isDns1123Label, isDns1123Subdomain } from '../k8s/dns-names';
import { isValidLabelValue } from '../k8s/label-value';
import { qualifiedNameProblem } from '../k8s/qualified-name';
import { parseQuantity } from '../k8s/quantity';
import { propError } from './errors';

export { isDns1123Label, isDns1123Subdomain } from '../k8s/dns-names';

/** Object and namespace names: RFC 1123 labels (lower-case alphanumerics and '-', at most 63 characters). */
export function requireDnsLabel(scope: IConstruct, prop: string, value: string, defaultedFromId = false): string {
  if (!isDns1123Label(value)) {
    throw propError({
      scope,
      prop,
      received: value,
      problem: defaultedFromId ? 'defaulted from the construct id; not a DNS-1123 label' : 'not a DNS-1123 label',
      allowed: "lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters",
      fix: defaultedFromId
        ? `set \`name\` to a valid name such as ${JSON.stringify(suggestDnsLabel(value))} (or change the construct id)`
        : `use a name such as ${JSON.stringify(suggestDnsLabel(value))}`,
    });
  }
  return value;
}

/**
 * Names of objects the API server validates as DNS-1123 subdomains (Secrets, ConfigMaps, custom resources such as
 * cert-manager Issuers): lower-case alphanumerics, '-' and '.', at most 253 characters.
 */
export function requireDnsSubdomain(scope: IConstruct, prop: string, value: string): string {
  if (!isDns1123Subdomain(value)) {
    throw propError({
      scope,
      prop,
      received: value,
      problem: 'not a DNS-1123 subdomain',
      allowed:
        "lower-case letters, digits, '-' and '.', each dot-separated part starting and ending with a letter or digit, at most 253 characters",
      fix: `use a name such as ${JSON.stringify(suggestDnsLabel(value))}`,
    });
  }
  return value;
}

/** A DNS-1123 label close to the given text, for error messages and default names derived from construct ids. */
export function suggestDnsLabel(value: string): string {
  const s = value
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return s.length > 0 ? s : 'app';
}

export function requirePort(scope: IConstruct, prop: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw propError({
      scope,
      prop,
      received: value,
      allowed: 'an integer port from 1 to 65535',
      fix: 'give the port the container listens on, e.g. 8080',
    });
  }
  return value;
}

export function requireIntegerAtLeast(
  scope: IConstruct,
  prop: string,
  value: number,
  min: number,
  fix: string,
  max = INT32_MAX,
): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    // The API's integer fields are int32 (replicas, limits, timings): larger values are refused by the server.
    const allowed = `an integer from ${min} to ${max}`;
    throw propError({ scope, prop, received: value, allowed, fix });
  }
  return value;
}

/** A Kubernetes quantity (`250m`, `1`, `256Mi`); returns its value in base units. */
export function requireQuantity(scope: IConstruct, prop: string, value: string, example: string): number {
  const parsed = typeof value === 'string' ? parseQuantity(value) : undefined;
  if (parsed === undefined || parsed < 0) {
    throw propError({
      scope,
      prop,
      received: value,
      problem: 'not a Kubernetes quantity',
      allowed: 'a non-negative quantity: a number with an optional suffix m, k, M, G, T, Ki, Mi, Gi, Ti',
      fix: `write it like ${JSON.stringify(example)} (note Mi/Gi, not MB/GB)`,
    });
  }
  return parsed;
}

/** An absolute, normalized directory below `/` (mount points); returns it without a trailing slash. */
export function requireMountPath(scope: IConstruct, prop: string, value: string, fix: string): string {
  const normalized = typeof value === 'string' ? value.replace(/\/+$/, '') : value;
  if (
    typeof value !== 'string' ||
    !value.startsWith('/') ||
    normalized === '' ||
    /(^|\/)\.\.?(\/|$)/.test(value) ||
    value.includes('//')
  ) {
    throw propError({
      scope,
      prop,
      received: value,
      problem: value === '/' ? 'the root filesystem stays read-only' : 'not an absolute, normalized path below /',
      allowed: "an absolute path below '/', without '.' or '..' segments, e.g. '/tmp' or '/var/cache/app'",
      fix,
    });
  }
  return normalized;
}

/** True for an IPv4 or IPv6 CIDR such as `203.0.113.0/24` or `2001:db8::/32`. */
export function isCidr(value: string): boolean {
  if (typeof value !== 'string') return false;
  const slash = value.indexOf('/');
  if (slash < 0) return false;
  const ip = value.slice(0, slash);
  const bits = value.slice(slash + 1);
  if (!/^[0-9]{1,3}$/.test(bits)) return false;
  const version = isIP(ip);
  return version !== 0 && Number(bits) <= (version === 4 ? 32 : 128);
}

/**
 * Labels a construct writes from a prop: keys are qualified names (an optional DNS prefix and '/', then at most 63
 * characters), values at most 63 characters, as the API server checks them.
 */
export function requireLabels(
  scope: IConstruct,
  prop: string,
  labels: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  if (labels === undefined) return {};
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) {
    throw propError({
      scope,
      prop,
      received: labels,
      allowed: 'an object of label key → value',
      fix: "e.g. { 'team': 'payments' }",
    });
  }
  for (const [key, value] of Object.entries(labels)) {
    const problem = qualifiedNameProblem(key);
    if (problem !== undefined) {
      throw propError({
        scope,
        prop: `${prop}['${key}']`,
        received: key,
        problem: `not a label key: ${problem}`,
        allowed:
          "an optional DNS-1123 subdomain prefix and '/', then at most 63 letters, digits, '-', '_' or '.', starting and ending alphanumeric",
        fix: "e.g. 'team' or 'example.com/team'",
      });
    }
    if (!isValidLabelValue(value)) {
      throw propError({
        scope,
        prop: `${prop}['${key}']`,
        received: value,
        problem: 'not a label value',
        allowed: "a string of at most 63 letters, digits, '-', '_' or '.', starting and ending alphanumeric (or empty)",
        fix: 'shorten the value; put longer text in an annotation',
      });
    }
  }
  return { ...labels };
}
