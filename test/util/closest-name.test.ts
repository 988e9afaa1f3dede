import { closestName, editDistance } from '../../lib/util/closest-name';

describe('closestName', () => {
  it('measures edits', () => {
    expect(editDistance('image-digests', 'image-digest')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests the nearest candidate within the limit, and nothing beyond it', () => {
    const ids = ['image-digest', 'image-registry', 'ingress-tls'];
    expect(closestName('image-digests', ids, 2)).toBe('image-digest');
    expect(closestName('ingres-tls', ids, 2)).toBe('ingress-tls');
    expect(closestName('rbac-wildcard', ids, 2)).toBeUndefined();
  });
});
