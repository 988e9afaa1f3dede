import { App, Chart } from 'cdk8s';
import { HardenedDeployment } from '../../lib';
import { isOpenToAll, openToAllReason, parseIpRange, publicCoverage } from '../../lib/k8s/cidr';
import { findingsOf } from '../helpers/run-rule';
import { errorOf, IMAGE } from '../helpers/charts';

const OPEN: [string, string[], string][] = [
  ['0.0.0.0/0', ['0.0.0.0/0'], 'it covers 100% of the public IPv4 space (more than 6.25% is open to all)'],
  ['::/0', ['::/0'], 'it covers 100% of the public IPv4 space (more than 6.25% is open to all)'],
  [
    'two IPv4 halves',
    ['0.0.0.0/1', '128.0.0.0/1'],
    'together they cover 100% of the public IPv4 space (more than 6.25% is open to all)',
  ],
  [
    'two IPv6 halves',
    ['::/1', '8000::/1'],
    'together they cover 100% of the public IPv4 space (more than 6.25% is open to all)',
  ],
  ['IPv4-mapped IPv6', ['::ffff:0:0/96'], 'it covers 100% of the public IPv4 space (more than 6.25% is open to all)'],
  ['IPv6 global unicast', ['2000::/3'], 'it covers 100% of the public IPv6 space (more than 6.25% is open to all)'],
  [
    '221 public /8s',
    Array.from({ length: 221 }, (_, i) => `${i + 1}.0.0.0/8`),
    'together they cover 99.09% of the public IPv4 space (more than 6.25% is open to all)',
  ],
  [
    'sixteen /8s',
    Array.from({ length: 16 }, (_, i) => `${i + 20}.0.0.0/8`),
    'together they cover 7.25% of the public IPv4 space (more than 6.25% is open to all)',
  ],
];

const NARROW: [string, string[]][] = [
  ['an office /24', ['198.51.0.0/24']],
  ['private networks', ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']],
  ['thirteen /8s', Array.from({ length: 13 }, (_, i) => `${i + 20}.0.0.0/8`)],
  ['an IPv6 /32', ['2001:db8::/32']],
  ['a mapped /120', ['::ffff:203.0.113.0/120']],
];

describe('open to all = the union of the ranges covers more than 1/16 of the public IPv4 or IPv6 space', () => {
  it.each(OPEN)('%s is open to all', (_, cidrs, reason) => {
    expect(openToAllReason(cidrs)).toBe(reason);
  });
  it.each(NARROW)('%s is not', (_, cidrs) => {
    expect(openToAllReason(cidrs)).toBeUndefined();
  });
  it('parses IPv4-mapped and embedded forms, clearing host bits as Kubernetes does', () => {
    expect(parseIpRange('::ffff:1.2.3.4/128')).toEqual({ family: 6, first: 0xffff01020304n, prefix: 128 });
    expect(parseIpRange('10.0.0.7/24')).toEqual({ family: 4, first: 0x0a000000n, prefix: 24 });
    expect(parseIpRange('1.2.3.4')).toBeUndefined();
    expect(parseIpRange('1:2:3:4:5:6:7:8:9/64')).toBeUndefined();
    expect(publicCoverage([parseIpRange('::ffff:0:0/97')!]).ipv4).toBe(
      publicCoverage([parseIpRange('0.0.0.0/1')!]).ipv4,
    );
    expect(isOpenToAll('0.0.0.0/1')).toBe(true);
    expect(isOpenToAll('0.0.0.0/8')).toBe(false);
  });
});

describe('the same verdict in the rule, the construct, the graph and the cluster plan', () => {
  const service = (ranges: string[]) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { type: 'LoadBalancer', loadBalancerSourceRanges: ranges, ports: [{ port: 443 }] },
  });

  it.each(OPEN)('service-loadbalancer-source-ranges fails %s', (_, cidrs) => {
    expect(findingsOf('service-loadbalancer-source-ranges', [service(cidrs)]).length).toBeGreaterThan(0);
  });
  it.each(NARROW)('service-loadbalancer-source-ranges passes %s', (_, cidrs) => {
    expect(findingsOf('service-loadbalancer-source-ranges', [service(cidrs)])).toEqual([]);
  });

  it('HardenedDeployment refuses sourceRanges that together admit the internet (App.synth)', () => {
    const app = new App({ outdir: '/nonexistent/never-written' });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const message = errorOf(
      () =>
        new HardenedDeployment(chart, 'api', {
          image: IMAGE,
          port: 8080,
          loadBalancer: { sourceRanges: Array.from({ length: 16 }, (_, i) => `${i + 20}.0.0.0/8`) },
          exemptions: [{ rule: 'service-loadbalancer', reason: 'a public TCP entry point for the partner network' }],
        }),
    );
    expect(message).toContain("prop 'loadBalancer.sourceRanges' received");
    expect(message).toContain('together they cover 7.25% of the public IPv4 space');
  });
});
