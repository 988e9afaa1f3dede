import { describeRuleFixtures } from '../../../../test/helpers/rule-fixtures';
import { findingsOf } from '../../../../test/helpers/run-rule';

const D = `sha256:${'a'.repeat(64)}`;
const pod = (...images: string[]) => `
apiVersion: v1
kind: Pod
metadata: { name: p, namespace: shop }
spec:
  containers:
${images.map((img, i) => `    - { name: c${i}, image: '${img}' }`).join('\n')}
`;

describeRuleFixtures('image-digest');

describe('image-digest', () => {
  it('distinguishes :latest, no tag and a mutable tag, and suggests the pinned form', () => {
    expect(findingsOf('image-digest', pod('ghcr.io/acme/api:latest', 'nginx', 'ghcr.io/acme/api:1.2.3'))).toEqual([
      "Pod p spec.containers[0].image: container 'c0' image 'ghcr.io/acme/api:latest' uses the mutable tag ':latest'; pin it by digest: ghcr.io/acme/api@sha256:<digest>",
      "Pod p spec.containers[1].image: container 'c1' image 'nginx' has no tag, so it runs whatever ':latest' points to when the node pulls it; pin it by digest: nginx@sha256:<digest>",
      "Pod p spec.containers[2].image: container 'c2' image 'ghcr.io/acme/api:1.2.3' uses tag ':1.2.3', which can be re-pushed to different content; pin it by digest: ghcr.io/acme/api:1.2.3@sha256:<digest>",
    ]);
  });

  it('keeps a registry port apart from the tag', () => {
    expect(findingsOf('image-digest', pod('localhost:5000/api'))).toEqual([
      "Pod p spec.containers[0].image: container 'c0' image 'localhost:5000/api' has no tag, so it runs whatever ':latest' points to when the node pulls it; pin it by digest: localhost:5000/api@sha256:<digest>",
    ]);
  });

  it('accepts digests with or without a tag, and reports malformed or missing images', () => {
    expect(findingsOf('image-digest', pod(`ghcr.io/acme/api@${D}`, `ghcr.io/acme/api:1.2.3@${D}`))).toEqual([]);
    expect(findingsOf('image-digest', pod('ghcr.io/Acme/api@sha256:123'))).toEqual([
      "Pod p spec.containers[0].image: container 'c0' image 'ghcr.io/Acme/api@sha256:123' is not a valid image reference; use registry/repo@sha256:<digest>",
    ]);
    expect(findingsOf('image-digest', pod(''))).toEqual([
      "Pod p spec.containers[0].image: container 'c0' has no image; set image to registry/repo@sha256:<digest>",
    ]);
  });
});
