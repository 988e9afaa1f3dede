/**
 * Port names as the API server checks them (apimachinery IsValidPortName, IANA_SVC_NAME of RFC 6335): at most 15
 * lower-case alphanumerics and '-', with at least one letter, not starting or ending with '-', no '--'.
 */
export const PORT_NAME_MAX_LENGTH = 15;

export function isValidPortName(name: unknown): boolean {
  return (
    typeof name === 'string' &&
    name.length >= 1 &&
    name.length <= PORT_NAME_MAX_LENGTH &&
    /^[-a-z0-9]+$/.test(name) &&
    /[a-z]/.test(name) &&
    !name.includes('--') &&
    !name.startsWith('-') &&
    !name.endsWith('-')
  );
}
