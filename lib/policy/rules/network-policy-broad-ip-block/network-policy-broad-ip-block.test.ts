import { describeRuleFixtures } from '../../../../test/helpers/rule-fixtures';
import { findingsOf } from '../../../../test/helpers/run-rule';

const policy = (spec: string) =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: api, namespace: shop }\nspec: ${spec}\n`;

describeRuleFixtures('network-policy-broad-ip-block');

describe('network-policy-broad-ip-block', () => {
  it('reports each broad range with its path, per direction', () => {
    expect(
      findingsOf(
        'network-policy-broad-ip-block',
        policy(
          '{ podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: 10.20.0.0/16 } }, { ipBlock: { cidr: 0.0.0.0/0 } }] }], ingress: [{ from: [{ ipBlock: { cidr: 172.16.0.0/12 } }] }] }',
        ),
      ),
    ).toEqual([
      "NetworkPolicy api spec.ingress[0].from[0].ipBlock.cidr: ingress '172.16.0.0/12' is broader than /16 (IPv4): 2^20 addresses; admit only the ranges the workload needs",
      "NetworkPolicy api spec.egress[0].to[1].ipBlock.cidr: egress '0.0.0.0/0' admits every address: it covers 100% of the public IPv4 space (more than 6.25% is open to all); admit only the ranges the workload needs",
    ]);
  });

  it('reports narrow ranges that together cover the internet', () => {
    // 14 public /8s as 3,584 /16s: each narrow, together 6.34% of the public IPv4 space.
    const sixteens = (first: number, count: number) =>
      Array.from({ length: count * 256 }, (_, i) => `{ ipBlock: { cidr: ${first + (i >> 8)}.${i & 255}.0.0/16 } }`);
    const spec = (blocks: string[]) => policy(`{ podSelector: {}, egress: [{ to: [${blocks.join(', ')}] }] }`);
    expect(findingsOf('network-policy-broad-ip-block', spec(sixteens(20, 13)))).toEqual([]);
    expect(findingsOf('network-policy-broad-ip-block', spec(sixteens(20, 14)))).toEqual([
      'NetworkPolicy api spec.egress: egress the ranges admit every address: together they cover 6.34% of the public IPv4 space (more than 6.25% is open to all); admit only the ranges the workload needs',
    ]);
  });

  it('leaves peers without ipBlock and malformed ranges to other checks', () => {
    expect(
      findingsOf(
        'network-policy-broad-ip-block',
        policy(
          '{ podSelector: {}, egress: [{ to: [{ podSelector: {} }, { ipBlock: { cidr: nonsense } }, { ipBlock: {} }] }, null] }',
        ),
      ),
    ).toEqual([]);
  });
});
