import { JS_WHITESPACE_CLASS_BODY } from './cel-literal';

/**
 * lib/k8s/image-ref.ts parseImageRef as regular expressions (RE2 and JavaScript alike), for CEL `matches`.
 * A reference is `[registry/]component(/component)*[:tag][@sha256:<64 hex>]`, where the first part is a registry only
 * when another part follows and it contains '.' or ':' or is `localhost`; the registry itself is not validated beyond
 * holding no '/' or '@' and not starting with whitespace (parseImageRef refuses untrimmed references).
 */
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const TAG = '[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}';
const DIGEST = 'sha256:[a-f0-9]{64}';
const REGISTRY = `(?:[.:][^/@]*|[^/@${JS_WHITESPACE_CLASS_BODY}][^/@]*[.:][^/@]*|localhost)`;
const NAME = `(?:${REGISTRY}/)?${COMPONENT}(?:/${COMPONENT})*`;

/** A reference parseImageRef accepts. */
export const VALID_IMAGE_REF_PATTERN = `^${NAME}(?::${TAG})?(?:@${DIGEST})?$`;

/** A reference parseImageRef accepts and that carries a sha256 digest (isPinnedByDigest). */
export const PINNED_IMAGE_REF_PATTERN = `^${NAME}(?::${TAG})?@${DIGEST}$`;

/**
 * CEL over a string `n` (a reference without digest and tag) giving `registry/repository` as parseImageRef
 * normalizes it: docker.io when no registry is named, `library/` for single-component Docker Hub names.
 */
export function normalizedNameExpression(n: string): string {
  const parts = `${n}.split('/')`;
  const explicit = `(${parts}.size() > 1 && (${parts}[0].contains('.') || ${parts}[0].contains(':') || ${parts}[0] == 'localhost'))`;
  return (
    `(${explicit} ? (${parts}[0] == 'docker.io' && ${parts}.size() == 2 ? 'docker.io/library/' + ${parts}[1] : ${n}) : ` +
    `(${parts}.size() == 1 ? 'docker.io/library/' + ${n} : 'docker.io/' + ${n}))`
  );
}
