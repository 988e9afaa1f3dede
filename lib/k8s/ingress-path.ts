/**
 * Ingress paths of pathType Prefix or Exact as the API server checks them (networking validation
 * validateIngressHTTPPath): absolute, without '//', '/./', '/../', '%2f', '%2F', not ending in '/..' or '/.'.
 * On top of that, `safeIngressPathProblem` keeps to the characters every ingress controller reads the same way
 * (RFC 3986 unreserved characters and '/'): ingress-nginx copies the path into its configuration, where `;`, `{`, `}`,
 * quotes, spaces or newlines have been used to inject directives.
 */
const INVALID_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_SUFFIXES = ['/..', '/.'];
const SAFE_PATH = /^\/[A-Za-z0-9\-._~/]*$/;

/** The API server's refusal of an Exact or Prefix path, worded like it, or undefined. */
export function ingressPathProblem(path: unknown): string | undefined {
  if (typeof path !== 'string' || !path.startsWith('/')) return 'must be an absolute path';
  for (const seq of INVALID_SEQUENCES) if (path.includes(seq)) return `must not contain '${seq}'`;
  for (const suffix of INVALID_SUFFIXES) if (path.endsWith(suffix)) return `cannot end with '${suffix}'`;
  return undefined;
}

/** ingressPathProblem, then characters outside letters, digits, '-', '.', '_', '~' and '/'. */
export function safeIngressPathProblem(path: unknown): string | undefined {
  const problem = ingressPathProblem(path);
  if (problem !== undefined) return problem;
  return SAFE_PATH.test(path as string)
    ? undefined
    : "has characters other than letters, digits, '-', '.', '_', '~' and '/' (an ingress controller may read them as configuration)";
}
