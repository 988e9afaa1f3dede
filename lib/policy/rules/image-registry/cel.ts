import { celString, celStringList } from '../../admission/cel-literal';
import { defineCelTranslation } from '../../admission/cel-translation';
import { normalizedNameExpression, VALID_IMAGE_REF_PATTERN } from '../../admission/image-ref-cel';

const withoutDigest = (i: string) => `(${i}.indexOf('@') >= 0 ? ${i}.substring(0, ${i}.indexOf('@')) : ${i})`;
const withoutTag = (n: string) =>
  `(${n}.lastIndexOf(':') > ${n}.lastIndexOf('/') ? ${n}.substring(0, ${n}.lastIndexOf(':')) : ${n})`;

/**
 * image-registry (only when allowed registries are configured): every container image is a valid reference whose
 * normalized `registry/repository` equals an allowed entry or lies under it (whole path components), as
 * isFromAllowedRegistry. Containers without an image field are not checked. The name is normalized in steps, as
 * [container, image, name] string lists, to keep each expression small.
 */
export const imageRegistryCel = defineCelTranslation({
  ruleId: 'image-registry',
  variables: [
    {
      name: 'imageRefs',
      expression:
        "variables.containers.filter(c, 'image' in c).map(c, [string(c.?name.orValue('')), string(c.image), string(c.image)])",
    },
    {
      name: 'imageNames',
      expression: `variables.imageRefs.map(x, [x[0], x[1], ${withoutTag(withoutDigest('x[2]'))}])`,
    },
    {
      name: 'imageFullNames',
      expression: `variables.imageNames.map(x, [x[0], x[1], ${normalizedNameExpression('x[2]')}])`,
    },
  ],
  translate: (options) => {
    const allowed = (options.allowedRegistries ?? []).map((a) => a.replace(/\/+$/, ''));
    if (allowed.length === 0) return undefined;
    const ok = `x[1].matches(${celString(VALID_IMAGE_REF_PATTERN)}) && ${celStringList(allowed)}.exists(a, x[2] == a || x[2].startsWith(a + '/'))`;
    return [
      {
        expression: `variables.imageFullNames.all(x, ${ok})`,
        detail: `'container ' + variables.imageFullNames.filter(x, !(${ok})).map(x, "'" + x[0] + "' image '" + x[1] + "'").join(', ') + ${celString(` does not come from an allowed registry (${allowed.join(', ')})`)}`,
      },
    ];
  },
});
