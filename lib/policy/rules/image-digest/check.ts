import { parseImageRef } from '../../../k8s/image-ref';
import { containersOf } from '../../../k8s/pod-template';
import { defineRule, Violation } from '../../rule';

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
      if (typeof image !== 'string' || image === '') {
        out.push({ ...at, message: `container '${c.name}' has no image; set image to registry/repo@sha256:<digest>` });
        continue;
      }
      const ref = parseImageRef(image);
      if (!ref) {
        out.push({
          ...at,
          message: `container '${c.name}' image '${image}' is not a valid image reference; use registry/repo@sha256:<digest>`,
        });
        continue;
      }
      if (ref.digest !== undefined) continue;
      const base = image.slice(0, image.length - (ref.tag !== undefined ? ref.tag.length + 1 : 0));
      let why: string;
      if (ref.tag === undefined) why = "has no tag, so it runs whatever ':latest' points to when the node pulls it";
      else if (ref.tag === 'latest') why = "uses the mutable tag ':latest'";
      else why = `uses tag ':${ref.tag}', which can be re-pushed to different content`;
      out.push({
        ...at,
        message: `container '${c.name}' image '${image}' ${why}; pin it by digest: ${base}${
          ref.tag !== undefined && ref.tag !== 'latest' ? `:${ref.tag}` : ''
        }@sha256:<digest>`,
      });
    }
    return out;
  },
});
