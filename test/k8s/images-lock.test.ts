import { lockedImage, parseImagesLock, serializeImagesLock } from '../../lib/k8s/images-lock';

const D = (c: string) => `sha256:${c.repeat(64)}`;
const entry = (c: string) => ({
  digest: D(c),
  mediaType: 'application/vnd.oci.image.index.v1+json',
  platforms: ['linux/amd64'],
});

describe('images lock format', () => {
  it('serializes with sorted keys and reads back what it wrote', () => {
    const text = serializeImagesLock({
      images: { 'ghcr.io/acme/web:1.0': entry('b'), 'docker.io/library/redis:7.2.4': entry('a') } as never,
    });
    expect(text).toBe(
      `{\n  "lockfileVersion": 1,\n  "images": {\n    "docker.io/library/redis:7.2.4": {\n      "digest": "${D('a')}",\n      "mediaType": "application/vnd.oci.image.index.v1+json",\n      "platforms": [\n        "linux/amd64"\n      ]\n    },\n    "ghcr.io/acme/web:1.0": {\n      "digest": "${D('b')}",\n      "mediaType": "application/vnd.oci.image.index.v1+json",\n      "platforms": [\n        "linux/amd64"\n      ]\n    }\n  }\n}\n`,
    );
    expect(serializeImagesLock(parseImagesLock(text, 'f'))).toBe(text);
  });

  it('looks images up by their canonical key: redis:7.2.4 is docker.io/library/redis:7.2.4', () => {
    const lock = parseImagesLock(
      serializeImagesLock({ images: { 'docker.io/library/redis:7.2.4': entry('a') } as never }),
      'f',
    );
    expect(lockedImage(lock, 'redis:7.2.4')?.digest).toBe(D('a'));
    expect(lockedImage(lock, 'docker.io/redis:7.2.4')?.digest).toBe(D('a'));
    expect(lockedImage(lock, 'redis:7.2.5')).toBeUndefined();
    expect(lockedImage(lock, `redis:7.2.4@${D('c')}`)).toBeUndefined();
  });

  it('refuses unknown fields, prototype keys and extra entry fields', () => {
    expect(() => parseImagesLock('{"lockfileVersion":1,"images":{},"extra":1}', 'f')).toThrow(
      'images lock f at extra: unknown field',
    );
    expect(() => parseImagesLock('{"lockfileVersion":1,"images":{"__proto__":{}}}', 'f')).toThrow(
      'at images["__proto__"]: the key is not a canonical registry/repository:tag',
    );
    const withExtra = JSON.stringify({ lockfileVersion: 1, images: { 'ghcr.io/a/b:1': { ...entry('a'), note: 'x' } } });
    expect(() => parseImagesLock(withExtra, 'f')).toThrow('at images["ghcr.io/a/b:1"].note: unknown field');
  });
});
