/**
 * DNS names as the API server checks them (k8s.io/apimachinery/pkg/util/validation: IsDNS1123Label,
 * IsDNS1123Subdomain, IsDNS1035Label). Object names are one of these, depending on the kind.
 */

export const DNS1123_LABEL_MAX_LENGTH = 63;
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
export const DNS1035_LABEL_MAX_LENGTH = 63;

export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** RFC 1123 label: lower-case alphanumerics and '-', starting and ending alphanumeric, at most 63 characters. */
export function isDns1123Label(value: unknown): boolean {
  return typeof value === 'string' && value.length <= DNS1123_LABEL_MAX_LENGTH && DNS1123_LABEL.test(value);
}

/** RFC 1123 subdomain: dot-separated labels, at most 253 characters. */
export function isDns1123Subdomain(value: unknown): boolean {
  return typeof value === 'string' && value.length <= DNS1123_SUBDOMAIN_MAX_LENGTH && DNS1123_SUBDOMAIN.test(value);
}

/** RFC 1035 label: an RFC 1123 label that starts with a letter (Service names). */
export function isDns1035Label(value: unknown): boolean {
  return typeof value === 'string' && value.length <= DNS1035_LABEL_MAX_LENGTH && DNS1035_LABEL.test(value);
}
