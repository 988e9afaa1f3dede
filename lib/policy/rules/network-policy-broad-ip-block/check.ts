import { broadRangeReason, BROAD_PREFIX } from '../../../k8s/cidr';
import { asArray, asRecord, isRecord } from '../../../k8s/k8s-object';
import { defineRule, Violation } from '../../rule';

const DIRECTIONS = [
  ['ingress', 'from'],
  ['egress', 'to'],
] as const;

export const networkPolicyBroadIpBlock = defineRule({
  id: 'network-policy-broad-ip-block',
  title: 'NetworkPolicy address ranges should be narrow',
  severity: 'warning',
  group: 'network',
  scope: 'object',
  kinds: ['NetworkPolicy'],
  references: {
    nsa: ['Network separation and hardening: network policies'],
    owasp: ['K07'],
  },
  remediation: `Admit the exact address ranges the workload needs (a database subnet, a partner's API range), each no broader than /${BROAD_PREFIX[4]} for IPv4 or /${BROAD_PREFIX[6]} for IPv6; an ipBlock of 0.0.0.0/0, or ranges that together cover the internet, let a compromised pod reach (or be reached from) anywhere, and a broad private range reaches the cluster's own pods with most CNIs. For a deliberate one, exempt the policy with a reason.`,
  check(object) {
    const spec = asRecord(object.spec);
    const out: Violation[] = [];
    for (const [direction, peers] of DIRECTIONS) {
      const blocks: { cidr: string; path: string }[] = [];
      asArray(spec[direction]).forEach((rule, i) => {
        if (!isRecord(rule)) return;
        asArray(rule[peers]).forEach((peer, j) => {
          const block = isRecord(peer) ? asRecord(peer.ipBlock) : {};
          if (typeof block.cidr === 'string') {
            blocks.push({ cidr: block.cidr, path: `spec.${direction}[${i}].${peers}[${j}].ipBlock.cidr` });
          }
        });
      });
      let flagged = false;
      for (const b of blocks) {
        const reason = broadRangeReason([b.cidr]);
        if (!reason) continue;
        flagged = true;
        out.push({ message: `${direction} ${reason}; admit only the ranges the workload needs`, path: b.path });
      }
      // Ranges that are each narrow can still cover the internet together (0.0.0.0/1 and 128.0.0.0/1).
      const together = flagged ? undefined : broadRangeReason(blocks.map((b) => b.cidr));
      if (together) {
        out.push({
          message: `${direction} ${together}; admit only the ranges the workload needs`,
          path: `spec.${direction}`,
        });
      }
    }
    return out;
  },
});
