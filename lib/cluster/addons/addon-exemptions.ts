import type { ExemptionGrant } from '../../policy/exemption-grants';
import { AddonGrantRequest, grantsFor } from './addon-grants';
import type { AddonsConfig } from './addons-config';
import { falcoGrantRequests } from './falco';
import { kubeBenchGrantRequests } from './kube-bench';

/** The exemptions the switched-on add-ons' workloads ask for (image-policy asks for none). */
export function addonGrantRequests(addons: AddonsConfig): AddonGrantRequest[] {
  return [...(addons.falco ? falcoGrantRequests() : []), ...(addons.kubeBench ? kubeBenchGrantRequests() : [])];
}

/**
 * The grants of the switched-on add-ons, each add-on's requests with the approval its `bulwark:addons` entry gives:
 * by kind and name, in the add-on's own namespace. The cluster program installs them with the stack's own
 * `bulwark:exemptionGrants` in the ExemptionGrantSet of the baseline, before the add-ons.
 */
export function addonExemptionGrants(addons: AddonsConfig): ExemptionGrant[] {
  return [
    ...(addons.falco ? grantsFor(falcoGrantRequests(), addons.falco.grants) : []),
    ...(addons.kubeBench ? grantsFor(kubeBenchGrantRequests(), addons.kubeBench.grants) : []),
  ];
}
