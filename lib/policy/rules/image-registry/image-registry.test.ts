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

describeRuleFixtures('image-registry');

describe('image-registry', () => {
  const allowed = { allowedRegistries: ['ghcr.io/acme', 'registry.example.com'] };

  it('does nothing when no registries are configured', () => {
    expect(findingsOf('image-registry', pod(`nginx@${D}`))).toEqual([]);
    expect(findingsOf('image-registry', pod(`nginx@${D}`), { allowedRegistries: [] })).toEqual([]);
  });

  it('reports images from elsewhere, naming the registry and what is allowed', () => {
    expect(
      findingsOf(
        'image-registry',
        pod(`ghcr.io/acme/api@${D}`, `registry.example.com/x/y:1`, `ghcr.io/acmecorp/api@${D}`, `nginx`, 'Bad Ref'),
        allowed,
      ),
    ).toEqual([
      "Pod p spec.containers[2].image: container 'c2' image 'ghcr.io/acmecorp/api@" +
        D +
        "' comes from 'ghcr.io/acmecorp/api'; allowed registries: ghcr.io/acme, registry.example.com",
      "Pod p spec.containers[3].image: container 'c3' image 'nginx' comes from 'docker.io/library/nginx'; allowed registries: ghcr.io/acme, registry.example.com",
      "Pod p spec.containers[4].image: container 'c4' image 'Bad Ref' is not a valid image reference; allowed registries: ghcr.io/acme, registry.example.com",
    ]);
  });
});
