import { isFromAllowedRegistry, parseImageRef } from '../../../k8s/image-ref';
import { containersOf } from '../../../k8s/pod-template';
import { defineRule, NO_VIOLATIONS, Violation } from '../../rule';

export const imageRegistry = defineRule({
  id: 'image-registry',
  title: 'Images must come from an allowed registry',
  severity: 'error',
  group: 'image',
  scope: 'pod',
  references: {
    cis: ['5.5.1'],
    nsa: ['Pod security: building secure container images'],
    owasp: ['K02'],
  },
  remediation:
    'Mirror the image into one of the allowed registries (`--allowed-registry`) and reference it from there; the rule only runs when allowed registries are configured.',
  check(pod, ctx) {
    const allowed = ctx.allowedRegistries ?? [];
    if (allowed.length === 0) return NO_VIOLATIONS;
    const out: Violation[] = [];
    for (const c of containersOf(pod)) {
      const image = c.container.image;
      if (typeof image !== 'string' || isFromAllowedRegistry(image, allowed)) continue;
      const ref = parseImageRef(image);
      const from = ref ? `comes from '${ref.registry}/${ref.repository}'` : 'is not a valid image reference';
      out.push({
        message: `container '${c.name}' image '${image}' ${from}; allowed registries: ${allowed.join(', ')}`,
        container: c.name,
        path: `${c.path}.image`,
      });
    }
    return out;
  },
});
