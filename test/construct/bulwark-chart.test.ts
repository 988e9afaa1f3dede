import { Chart, Testing } from 'cdk8s';
import { BulwarkChart, HardenedDeployment, HardenedIngress, HardenedJob } from '../../lib';
import { errorOf, find, IMAGE, synth } from '../helpers/charts';

const TAGGED = 'ghcr.io/acme/api:1.2.3';

describe('BulwarkChart defaults', () => {
  it('apply to every bulwark construct inside it, nested charts included; a construct’s own prop wins', () => {
    const app = Testing.app();
    const team = new BulwarkChart(app, 'team', {
      namespace: 'team',
      defaults: {
        allowedRegistries: ['ghcr.io/acme'],
        runAsUser: 2000,
        runAsGroup: 2000,
        fsGroup: 2000,
        priorityClassName: 'business-critical',
        exemptions: [{ rule: 'image-digest', reason: 'tags signed by the release pipeline; PLAT-1' }],
      },
    });
    const inner = new Chart(team, 'inner', { namespace: 'team' });
    new HardenedDeployment(inner, 'api', { image: TAGGED, port: 8080 });
    new HardenedJob(team, 'batch', { image: TAGGED, runAsUser: 3000 });
    const objects = [...synth(team), ...synth(inner)];
    const api = find(objects, 'Deployment', 'api');
    const pod = api.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsUser: 2000, runAsGroup: 2000, fsGroup: 2000 });
    expect(pod.priorityClassName).toBe('business-critical');
    expect(api.metadata.annotations).toEqual({
      'exempt.bulwark.dev/image-digest': 'tags signed by the release pipeline; PLAT-1',
    });
    expect(api.spec.template.metadata.annotations).toEqual(api.metadata.annotations);
    expect(find(objects, 'Job', 'batch').spec.template.spec.securityContext.runAsUser).toBe(3000);
  });

  it('a construct’s own exemption keeps its reason', () => {
    const team = new BulwarkChart(Testing.app(), 'team', {
      namespace: 'team',
      defaults: { exemptions: [{ rule: 'image-digest', reason: 'team reason' }] },
    });
    new HardenedDeployment(team, 'api', {
      image: TAGGED,
      port: 8080,
      exemptions: [{ rule: 'image-digest', reason: 'own reason' }],
    });
    expect(find(synth(team), 'Deployment', 'api').metadata.annotations).toEqual({
      'exempt.bulwark.dev/image-digest': 'own reason',
    });
  });

  it('allowedRegistries from the chart refuse an image of another registry', () => {
    const team = new BulwarkChart(Testing.app(), 'team', {
      namespace: 'team',
      defaults: { allowedRegistries: ['ghcr.io/other'] },
    });
    expect(errorOf(() => new HardenedDeployment(team, 'api', { image: IMAGE, port: 8080 }))).toBe(
      "HardenedDeployment at 'team/api': prop 'image' received \"ghcr.io/acme/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\" (registry 'ghcr.io' is not in allowedRegistries). Allowed: images from 'ghcr.io/other'. Fix: mirror the image into an allowed registry, or add the exemption { rule: 'image-registry', reason: '<why>' }",
    );
  });

  it('refuses bad defaults at the chart, with the chart path', () => {
    expect(
      errorOf(
        () =>
          new BulwarkChart(Testing.app(), 'team', {
            defaults: { exemptions: [{ rule: 'image-digets', reason: 'x' }] },
          }),
      ),
    ).toBe(
      "BulwarkChart at 'team': prop 'exemptions[0].rule' received \"image-digets\" (no such rule in the catalog). Allowed: the id of a catalog rule (listed in docs/rules.md). Fix: did you mean 'image-digest'?",
    );
    expect(errorOf(() => new BulwarkChart(Testing.app(), 'team', { defaults: { runAsUser: 0 } }))).toBe(
      "BulwarkChart at 'team': prop 'defaults.runAsUser' received 0. Allowed: an integer from 1 to 2147483647. Fix: use a non-root id ≥ 1, e.g. 10001",
    );
  });

  it('exemptions apply to ingresses too', () => {
    const team = new BulwarkChart(Testing.app(), 'team', {
      namespace: 'team',
      defaults: { exemptions: [{ rule: 'ingress-wildcard-host', reason: 'tenant subdomains; PLAT-9' }] },
    });
    const web = new HardenedDeployment(team, 'web', { image: IMAGE, port: 8080 });
    new HardenedIngress(team, 'web-ingress', { backend: web, hosts: ['*.example.com'], tls: { clusterIssuer: 'le' } });
    expect(find(synth(team), 'Ingress').metadata.annotations['exempt.bulwark.dev/ingress-wildcard-host']).toBe(
      'tenant subdomains; PLAT-9',
    );
  });
});

describe('BulwarkChart defaults reach every container of the pod', () => {
  const team = (defaults: object) => new BulwarkChart(Testing.app(), 'team', { namespace: 'team', defaults });
  const extra = (image: string) => ({
    initContainers: [{ name: 'migrate', image }],
    sidecars: [{ name: 'proxy', image }],
  });

  it('the user and group ids of the chart on the pod and in every container (main, init, native sidecar)', () => {
    const chart = team({ runAsUser: 2000, runAsGroup: 2100, fsGroup: 2200 });
    new HardenedDeployment(chart, 'api', { image: IMAGE, port: 8080, ...extra(IMAGE) });
    const pod = find(synth(chart), 'Deployment', 'api').spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsUser: 2000, runAsGroup: 2100, fsGroup: 2200 });
    const containers = [...pod.initContainers, ...pod.containers];
    expect(containers.map((c: { name: string }) => c.name)).toEqual(['proxy', 'migrate', 'api']);
    for (const c of containers) {
      expect(c.securityContext).toMatchObject({
        runAsUser: 2000,
        runAsGroup: 2100,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
      });
    }
  });

  const OTHER = `docker.io/evil/x@${IMAGE.split('@')[1]}`;
  it.each([
    ['an init container', 'initContainers[0].image', { initContainers: [{ name: 'migrate', image: OTHER }] }],
    ['a native sidecar', 'sidecars[0].image', { sidecars: [{ name: 'proxy', image: OTHER }] }],
  ])("the chart's allowedRegistries refuse %s's image of another registry", (_, prop, containers) => {
    const chart = team({ allowedRegistries: ['ghcr.io/acme'] });
    expect(errorOf(() => new HardenedDeployment(chart, 'api', { image: IMAGE, port: 8080, ...containers }))).toBe(
      `HardenedDeployment at 'team/api': prop '${prop}' received "${OTHER}" (registry 'docker.io' is not in allowedRegistries). Allowed: images from 'ghcr.io/acme'. Fix: mirror the image into an allowed registry, or add the exemption { rule: 'image-registry', reason: '<why>' }`,
    );
  });
});
