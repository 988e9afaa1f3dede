import { ImageRef, parseImageRef } from '../../../k8s/image-ref';
import { containersOf } from '../../../k8s/pod-template';
import { defineRule, Violation } from '../../rule';

/**
 * How an image reference is pinned, the one reading of image-digest shared by the rule and the constructs that refuse
 * unpinned images: `missing` (no image or ''), `invalid` (not a reference a runtime accepts), `pinned` (by sha256
 * digest, with or without a tag), or unpinned: `latest` (the tag ':latest'), `untagged` (no tag, so ':latest'),
 * `tagged` (a tag, which can be re-pushed).
 */
export type ImagePinning =
  | { readonly status: 'missing' }
  | { readonly status: 'invalid' }
  | { readonly status: 'pinned' | 'latest' | 'untagged' | 'tagged'; readonly ref: ImageRef };

export function imagePinning(image: unknown): ImagePinning {
  if (typeof image !== 'string' || image === '') return { status: 'missing' };
  const ref = parseImageRef(image);
  if (!ref) return { status: 'invalid' };
  if (ref.digest !== undefined) return { status: 'pinned', ref };
  if (ref.tag === undefined) return { status: 'untagged', ref };
  return { status: ref.tag === 'latest' ? 'latest' : 'tagged', ref };
}

export const imageDigest = defineRule({
  id: 'image-digest',
  title: 'Images must be pinned by sha256 digest',
  severity: 'error',
  group: 'image',
  scope: 'pod',
  references: {
    cis: ['5.5.1'],
    nsa: ['Pod security: building secure container images'],
    owasp: ['K02'],
  },
  remediation:
    'Reference every image by digest (registry/repo@sha256:<64 hex>, optionally keeping the tag for readers: repo:1.2.3@sha256:...); resolve it with `crane digest` or `docker buildx imagetools inspect`.',
  check(pod) {
    const out: Violation[] = [];
    for (const c of containersOf(pod)) {
      const image = c.container.image;
      const at = { container: c.name, path: `${c.path}.image` };
      const pinning = imagePinning(image);
      if (pinning.status === 'missing') {
        out.push({ ...at, message: `container '${c.name}' has no image; set image to registry/repo@sha256:<digest>` });
        continue;
      }
      if (pinning.status === 'invalid') {
        out.push({
          ...at,
          message: `container '${c.name}' image '${image}' is not a valid image reference; use registry/repo@sha256:<digest>`,
        });
        continue;
      }
      if (pinning.status === 'pinned') continue;
      const { ref } = pinning;
      const text = image as string;
      const base = text.slice(0, text.length - (ref.tag !== undefined ? ref.tag.length + 1 : 0));
      let why: string;
      if (pinning.status === 'untagged')
        why = "has no tag, so it runs whatever ':latest' points to when the node pulls it";
      else if (pinning.status === 'latest') why = "uses the mutable tag ':latest'";
      else why = `uses tag ':${ref.tag}', which can be re-pushed to different content`;
      out.push({
        ...at,
        message: `container '${c.name}' image '${image}' ${why}; pin it by digest: ${base}${
          pinning.status === 'tagged' ? `:${ref.tag}` : ''
        }@sha256:<digest>`,
      });
    }
    return out;
  },
});
