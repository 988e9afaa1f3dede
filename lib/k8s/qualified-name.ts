import { isDns1123Subdomain } from './dns-names';

/**
 * Label and annotation keys as the API server checks them (apimachinery IsQualifiedName): an optional DNS-1123
 * subdomain prefix and '/', then a name of at most 63 characters: alphanumerics, '-', '_' and '.', starting and
 * ending alphanumeric.
 */
export const QUALIFIED_NAME_MAX_LENGTH = 63;
const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** Why `value` is not a qualified name, or undefined when it is one. */
export function qualifiedNameProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'not a string';
  const parts = value.split('/');
  let name = value;
  if (parts.length === 2) {
    const [prefix] = parts;
    name = parts[1];
    if (prefix.length === 0) return 'the prefix before / is empty';
    if (!isDns1123Subdomain(prefix)) return 'the prefix before / is not a DNS-1123 subdomain';
  } else if (parts.length > 2) {
    return "more than one '/'";
  }
  if (name.length === 0) return 'the name part is empty';
  if (name.length > QUALIFIED_NAME_MAX_LENGTH) return `the name part is longer than ${QUALIFIED_NAME_MAX_LENGTH}`;
  if (!NAME_PART.test(name)) return "the name part has characters other than alphanumerics, '-', '_' and '.'";
  return undefined;
}

export function isQualifiedName(value: unknown): boolean {
  return qualifiedNameProblem(value) === undefined;
}
