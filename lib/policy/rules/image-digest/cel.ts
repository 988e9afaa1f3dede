import { celString } from '../../admission/cel-literal';
import { defineCelTranslation } from '../../admission/cel-translation';
import { PINNED_IMAGE_REF_PATTERN } from '../../admission/image-ref-cel';
import { failingContainerNames } from '../../admission/pod-cel';

const OK = `c.?image.orValue('').matches(${celString(PINNED_IMAGE_REF_PATTERN)})`;

/** image-digest: every container's image is a valid reference pinned by sha256 digest. */
export const imageDigestCel = defineCelTranslation({
  ruleId: 'image-digest',
  translate: () => [
    {
      expression: `variables.containers.all(c, ${OK})`,
      detail: `'container ' + ${failingContainerNames(OK)} + ' image ' + variables.containers.filter(c, !(${OK})).map(c, "'" + c.?image.orValue('') + "'").join(', ') + ' is not pinned by digest; use registry/repo@sha256:<digest>'`,
    },
  ],
});
