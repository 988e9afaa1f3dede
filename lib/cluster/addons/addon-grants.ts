/**
 * An exemption an add-on needs, as a grant entry of the stack's ExemptionGrantSet (docs/exemptions.md): the add-on's
 * workload asks for it with the annotation `exempt.bulwark.dev/<rule>` and the platform owner's stack grants exactly
 * this, by name, in the add-on's own namespace, with a reason, an approver and an expiry.
 */
export interface AddonGrant {
  readonly namespace: string;
  readonly name: string;
  readonly rule: string;
  readonly reason: string;
}

/** The request annotations for a list of grants (the same reasons, so request and grant say the same). */
export function requestAnnotations(grants: readonly AddonGrant[]): Record<string, string> {
  return Object.fromEntries(grants.map((g) => [`exempt.bulwark.dev/${g.rule}`, g.reason]));
}
