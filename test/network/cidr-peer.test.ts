import { Chart } from 'cdk8s';
import { HardenedDeployment, HardenedJob, NetworkPeer } from '../../lib';
import { errorOf, find, IMAGE, shopChart, synth } from '../helpers/charts';

const RULE = 'network-policy-broad-ip-block';
const ALLOWED =
  'Allowed: ranges no broader than /16 (IPv4) or /48 (IPv6) that together cover at most 6.25% of the public address space. ';
const FIX = `Fix: name the exact range the workload needs, e.g. allowTo(NetworkPeer.cidr('10.20.0.0/16'), 443), or add the exemption { rule: '${RULE}', reason: '<why this workload needs the range>' }`;

function api(chart: Chart, exemptions: { rule: string; reason: string }[] = []): HardenedDeployment {
  return new HardenedDeployment(chart, 'api', { image: IMAGE, port: 8080, exemptions });
}

describe('NetworkPeer.cidr: egress and ingress to an address range outside the cluster', () => {
  it('writes an egress ipBlock with the port, and except ranges', () => {
    const { chart } = shopChart();
    const a = api(chart);
    a.allowTo(NetworkPeer.cidr('10.20.0.0/16'), 5432);
    a.allowTo(NetworkPeer.cidr('203.0.113.0/24', { except: ['203.0.113.128/25'] }), 443);
    a.allowTo(NetworkPeer.cidr('2001:db8:1::/48'), 443);
    const egress = find(synth(chart), 'NetworkPolicy', 'api-egress');
    expect(egress.metadata.annotations).toBeUndefined();
    expect(egress.spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
      policyTypes: ['Egress'],
      egress: [
        { to: [{ ipBlock: { cidr: '10.20.0.0/16' } }], ports: [{ protocol: 'TCP', port: 5432 }] },
        {
          to: [{ ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.128/25'] } }],
          ports: [{ protocol: 'TCP', port: 443 }],
        },
        { to: [{ ipBlock: { cidr: '2001:db8:1::/48' } }], ports: [{ protocol: 'TCP', port: 443 }] },
      ],
    });
  });

  it('writes an ingress ipBlock on a declared port (allowFrom checks the port like any peer)', () => {
    const { chart } = shopChart();
    const a = api(chart);
    a.allowFrom(NetworkPeer.cidr('198.51.100.0/24'));
    expect(find(synth(chart), 'NetworkPolicy', 'api-ingress').spec.ingress).toEqual([
      { from: [{ ipBlock: { cidr: '198.51.100.0/24' } }], ports: [{ protocol: 'TCP', port: 8080 }] },
    ]);
    expect(errorOf(() => a.allowFrom(NetworkPeer.cidr('198.51.100.0/24'), 9090))).toBe(
      "HardenedDeployment at 'shop/api': prop 'allowFrom(peer, port)' received 9090 ('shop/api' declares no port 9090). Allowed: one of its ports: 8080 ('main'). Fix: use one of them, e.g. allowFrom(peer, 'main'), or declare the port on 'shop/api'",
    );
  });

  const refused: [string, (a: HardenedDeployment) => unknown, string][] = [
    [
      'open to all',
      (a) => a.allowTo(NetworkPeer.cidr('0.0.0.0/0'), 443),
      `HardenedDeployment at 'shop/api': prop 'allowTo(NetworkPeer.cidr(...))' received "0.0.0.0/0" ('0.0.0.0/0' admits every address: it covers 100% of the public IPv4 space (more than 6.25% is open to all)). ${ALLOWED}${FIX}`,
    ],
    [
      'open to all v6',
      (a) => a.allowTo(NetworkPeer.cidr('::/0'), 443),
      `HardenedDeployment at 'shop/api': prop 'allowTo(NetworkPeer.cidr(...))' received "::/0" ('::/0' admits every address: it covers 100% of the public IPv4 space (more than 6.25% is open to all)). ${ALLOWED}${FIX}`,
    ],
    [
      'private /8 reaches every pod',
      (a) => a.allowTo(NetworkPeer.cidr('10.0.0.0/8'), 443),
      `HardenedDeployment at 'shop/api': prop 'allowTo(NetworkPeer.cidr(...))' received "10.0.0.0/8" ('10.0.0.0/8' is broader than /16 (IPv4): 2^24 addresses). ${ALLOWED}${FIX}`,
    ],
    [
      'not a cidr',
      (a) => a.allowTo(NetworkPeer.cidr('10.20.0.0'), 443),
      `HardenedDeployment at 'shop/api': prop 'allowTo(NetworkPeer.cidr(...))' received "10.20.0.0" (not a CIDR). Allowed: an IPv4 or IPv6 CIDR: address/prefix, e.g. 10.20.0.0/16 or 2001:db8:1::/48. Fix: write the range as address/prefix: allowTo(NetworkPeer.cidr('10.20.0.0/16'), 443)`,
    ],
    [
      'host bits',
      (a) => a.allowTo(NetworkPeer.cidr('10.20.3.7/16'), 443),
      `HardenedDeployment at 'shop/api': prop 'allowTo(NetworkPeer.cidr(...))' received "10.20.3.7/16" (bits are set below the prefix, so the range is not what it reads as). Allowed: the network address of the range. Fix: write '10.20.0.0/16'`,
    ],
    [
      'except outside',
      (a) => a.allowTo(NetworkPeer.cidr('10.20.0.0/16', { except: ['10.21.0.0/24'] }), 443),
      `HardenedDeployment at 'shop/api': prop 'allowTo(NetworkPeer.cidr(...)).except[0]' received "10.21.0.0/24" (not strictly inside 10.20.0.0/16). Allowed: a network address/prefix strictly inside 10.20.0.0/16 (Kubernetes refuses others). Fix: leave out a narrower range of 10.20.0.0/16, or drop the entry`,
    ],
    [
      'port name on a range',
      (a) => a.allowTo(NetworkPeer.cidr('10.20.0.0/16'), 'https'),
      `HardenedDeployment at 'shop/api': prop 'allowTo(peer, port)' received "https" (a port name can only be resolved on a bulwark workload). Allowed: a port number from 1 to 65535. Fix: pass the port number: allowTo(peer, 8080)`,
    ],
    [
      'no port on a range',
      (a) => a.allowTo(NetworkPeer.cidr('10.20.0.0/16')),
      `HardenedDeployment at 'shop/api': prop 'allowTo(peer, port)' received undefined (the peer is not a bulwark workload, so it has no port to default to). Allowed: a port number from 1 to 65535. Fix: pass the port number: allowTo(peer, 8080)`,
    ],
  ];
  it.each(refused)('refuses %s, writing nothing', (_name, call, message) => {
    const { chart } = shopChart();
    const a = api(chart);
    expect(errorOf(() => call(a))).toBe(message);
    expect(
      synth(chart)
        .filter((o) => o.kind === 'NetworkPolicy')
        .map((o) => o.metadata.name),
    ).toEqual(['api-ingress']);
  });

  it('refuses narrow ranges that together are open to all (an attacker adds /16s one by one)', () => {
    const { chart } = shopChart();
    const a = api(chart, []);
    // A public /8 is refused as broad; 13 of them as /16s are 5.9% of the public IPv4 space, the 14th crosses 6.25%.
    for (let first = 20; first < 33; first++)
      for (let second = 0; second < 256; second++) a.allowTo(NetworkPeer.cidr(`${first}.${second}.0.0/16`), 443);
    const message = errorOf(() => {
      for (let second = 0; second < 256; second++) a.allowTo(NetworkPeer.cidr(`33.${second}.0.0/16`), 443);
    });
    expect(message).toContain(
      'received "33.202.0.0/16" (the ranges admit every address: together they cover 6.25% of the public IPv4 space (more than 6.25% is open to all))',
    );
  });

  it('accepts a broad range with the exemption, written on the workload, its pods and its NetworkPolicies', () => {
    const { chart } = shopChart();
    const reason = 'the crawler fetches public web pages; tracked in SEC-12';
    const a = api(chart, [{ rule: RULE, reason }]);
    a.allowTo(NetworkPeer.cidr('0.0.0.0/0', { except: ['10.0.0.0/8'] }), 443);
    const objects = synth(chart);
    for (const name of ['api-egress', 'api-ingress']) {
      expect(find(objects, 'NetworkPolicy', name).metadata.annotations).toEqual({
        [`exempt.bulwark.dev/${RULE}`]: reason,
      });
    }
    expect(find(objects, 'Deployment', 'api').spec.template.metadata.annotations).toEqual({
      [`exempt.bulwark.dev/${RULE}`]: reason,
    });
  });

  it('lets a workload without ports reach a range (a Job calling an outside API)', () => {
    const { chart } = shopChart();
    const job = new HardenedJob(chart, 'sync', { image: IMAGE });
    job.allowTo(NetworkPeer.cidr('192.0.2.0/24'), 443);
    expect(find(synth(chart), 'NetworkPolicy', 'sync-egress').spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '192.0.2.0/24' } }], ports: [{ protocol: 'TCP', port: 443 }] },
    ]);
  });

  it('keeps NetworkPeer.pods for pods that are not bulwark workloads', () => {
    const { chart } = shopChart();
    api(chart).allowFrom(NetworkPeer.pods('monitoring', { app: 'prometheus' }));
    expect(find(synth(chart), 'NetworkPolicy', 'api-ingress').spec.ingress[0].from).toEqual([
      {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
        podSelector: { matchLabels: { app: 'prometheus' } },
      },
    ]);
  });
});
