import { ExemptionGrant, parseExpires } from '../../policy/exemption-grants';
import { reasonProblem } from '../../policy/exemption-reason';

/**
 * An exemption an add-on's workload needs: the request (annotation `exempt.bulwark.dev/<rule>` on the workload and its
 * pod template) and, once the stack approves the add-on, a grant of the stack's ExemptionGrantSet for exactly this
 * workload (kind and name) in the add-on's own namespace.
 */
export interface AddonGrantRequest {
  /** The add-on's namespace; left out for a cluster-scoped object (a ClusterRole), named by kind and name. */
  readonly namespace?: string;
  readonly kind: string;
  readonly name: string;
  readonly rule: string;
  readonly reason: string;
}

/**
 * Who approved an add-on's exemptions and until when (`bulwark:addons.<add-on>.grants`). An add-on with node-level
 * privileges is not installed without it: switching it on is a reviewed change of the stack, and this says who
 * reviewed it. The expiry forces that review again at least once a year.
 */
export interface AddonGrantApproval {
  /** A person or a ticket (visible text, at most 500 characters). */
  readonly approver: string;
  /** RFC 3339 with whole seconds, in the future and at most MAX_ADDON_GRANT_DAYS ahead. */
  readonly expires: string;
}

/** The expiry policy of add-on grants: node-level privileges are approved again at least once a year. */
export const MAX_ADDON_GRANT_DAYS = 366;

const DAY_MS = 86_400_000;

/**
 * Checks `bulwark:addons.<add-on>.grants` against the expiry policy; returns the problem in words, or undefined.
 * `now` is the time of the check (the config is read at every `pulumi up` and `bulwark plan`).
 */
export function approvalProblem(value: unknown, now: Date): string | undefined {
  const shape = 'expected { approver: <person or ticket>, expires: <RFC 3339 instant> }';
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return `${shape}, got ${JSON.stringify(value)}`;
  const unknownKey = Object.keys(value).find((k) => k !== 'approver' && k !== 'expires');
  if (unknownKey !== undefined) return `${shape}: unknown field ${JSON.stringify(unknownKey)}`;
  const { approver, expires } = value as Record<string, unknown>;
  const approverIssue = reasonProblem(approver);
  if (approverIssue)
    return `approver: ${approverIssue.replace('reason', 'approver')}: name who approved the add-on's privileges (a person or a ticket)`;
  const at = parseExpires(expires);
  if (!at)
    return `expires: expected an RFC 3339 date-time with whole seconds such as 2027-01-31T00:00:00Z, got ${JSON.stringify(expires)}`;
  if (at.getTime() <= now.getTime())
    return `expires: ${String(expires)} has passed: review the add-on's privileges again and set a later expiry`;
  if (at.getTime() - now.getTime() > MAX_ADDON_GRANT_DAYS * DAY_MS)
    return `expires: ${String(expires)} is more than ${MAX_ADDON_GRANT_DAYS} days ahead: node-level privileges are approved again at least once a year`;
  return undefined;
}

/** The grants for an add-on's requests, with the stack's approval. */
export function grantsFor(requests: readonly AddonGrantRequest[], approval: AddonGrantApproval): ExemptionGrant[] {
  return requests.map((r) => ({ ...r, approver: approval.approver, expires: approval.expires }));
}

/** The request annotations for a list of requests (the same reasons, so request and grant say the same). */
export function requestAnnotations(requests: readonly AddonGrantRequest[]): Record<string, string> {
  return Object.fromEntries(requests.map((g) => [`exempt.bulwark.dev/${g.rule}`, g.reason]));
}
