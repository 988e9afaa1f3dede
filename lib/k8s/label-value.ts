/**
 * Label values as the API server checks them (apimachinery IsValidLabelValue): empty, or at most 63 characters of
 * alphanumerics, '-', '_' and '.', starting and ending alphanumeric.
 */
export const LABEL_VALUE_MAX_LENGTH = 63;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export function isValidLabelValue(value: unknown): boolean {
  return typeof value === 'string' && value.length <= LABEL_VALUE_MAX_LENGTH && LABEL_VALUE.test(value);
}
