import type { ExemptionGrant } from '../../policy/exemption-grants';
import { AddonGrantRequest, grantsFor } from './addon-grants';
import type { AddonsConfig } from './addons-config';
import { falcoGrantRequests } from './falco';
import { kubeBenchGrantRequests } from './kube-bench';
import { policyControllerGrantRequests } from './policy-controller';

/** The exemptions the switched-on add-ons' objects ask for. */
export function addonGrantRequests(addons: AddonsConfig): AddonGrantRequest[] {
  return [
    ...(addons.imagePolicy ? policyControllerGrantRequests() : []),
    ...(addons.falco ? falcoGrantRequests() : []),
    ...(addons.kubeBench ? kubeBenchGrantRequests() : []),
  ];
}

/**
 * The grants of the switched-on add-ons, each add-on's requests with the approval its `bulwark:addons` entry gives:
 * by kind and name, in the add-on's own namespace (or, for a ClusterRole, cluster-scoped). The cluster program installs them with the stack's own
 * `bulwark:exemptionGrants` in the ExemptionGrantSet of the baseline, before the add-ons.
 */
export function addonExemptionGrants(addons: AddonsConfig): ExemptionGrant[] {
  return [
    ...(addons.imagePolicy ? grantsFor(policyControllerGrantRequests(), addons.imagePolicy.grants) : []),
    ...(addons.falco ? grantsFor(falcoGrantRequests(), addons.falco.grants) : []),
    ...(addons.kubeBench ? grantsFor(kubeBenchGrantRequests(), addons.kubeBench.grants) : []),
  ];
}
