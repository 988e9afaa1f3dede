import type { SupportedVersion } from '../contracts/cloud-contracts';

/** The EKS managed add-ons every cluster gets, installed and upgraded by EKS (never left self-managed). */
export const EKS_MANAGED_ADDONS = [
  'vpc-cni',
  'kube-proxy',
  'coredns',
  'aws-ebs-csi-driver',
  'eks-pod-identity-agent',
] as const;
export type EksAddonName = (typeof EKS_MANAGED_ADDONS)[number];
/** EKS managed add-ons installed only when a stack switches on the bulwark add-on that uses them. */
export type EksOptionalAddonName = 'amazon-cloudwatch-observability';

/** A version EKS offers in standard support, and the add-on versions bulwark pins for it. */
export interface EksVersion extends SupportedVersion {
  readonly addons: Readonly<Record<EksAddonName, string>>;
  /** Pins of the optional add-ons (log-shipping: amazon-cloudwatch-observability). */
  readonly optionalAddons: Readonly<Record<EksOptionalAddonName, string>>;
}

/**
 * Kubernetes versions in EKS standard support, newest first, with the add-on versions pinned for each (so that a
 * second `pulumi up` never moves an add-on on its own; moving one is a reviewed change of this table).
 * `aws eks describe-addon-versions --kubernetes-version <v> --addon-name <name>` lists what a region offers; EKS
 * refuses an unknown version at create time (it does not substitute one). Versions past their end of standard support
 * leave the table. Checked against stored copies of public sources on 2026-11-30 (no AWS account here):
 * - Calendar: EKS user guide, "Understand the Kubernetes version lifecycle on EKS"
 *   (docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html; awsdocs/amazon-eks-user-guide
 *   latest/ug/versioning/kubernetes-versions.adoc) and endoflife.date/amazon-eks: 1.34 released on EKS 2025-10-02,
 *   end of standard support 2026-12-02; 1.35 released 2026-01-27, end of standard support 2027-03-27. No stored copy
 *   lists 1.36 (the newest, an EKS review checklist verified 2026-04-24, names 1.35 the latest), so the whole 1.36
 *   entry is unconfirmed and its end of support unknown.
 * - kube-proxy: the user guide's table ("kube-proxy versions", docs.amazonaws.cn/eks/latest/userguide/
 *   managing-kube-proxy) lists v1.35.3-eksbuild.2 and v1.34.6-eksbuild.2; the pins are later builds of the same
 *   patches, seen deployed (v1.35.3-eksbuild.13 to .29 and v1.34.6-eksbuild.13 to .25 in public infrastructure code).
 * - coredns: the user guide's table ("CoreDNS versions") lists v1.12.4-eksbuild.1 for 1.34 and 1.33 (confirmed); 1.35's
 *   v1.13.2-eksbuild.4 is pinned by public infrastructure code that cites that table for 1.35, and a recorded
 *   `describe-addon-versions` of 2026-10-02 lists builds of v1.13.2 as 1.35's default.
 * - vpc-cni, eks-pod-identity-agent, aws-ebs-csi-driver: not per minor: the user guide's VPC CNI table lists one
 *   build for every minor it covers, and the other two have no per-minor table; 1.34 pins the versions seen deployed
 *   on 1.35 (vpc-cni v1.21.1, pod identity agent v1.3.10, EBS CSI v1.66.0). The exact eksbuild of each on 1.34 is not
 *   in any stored source: check it with describe-addon-versions before the first deployment on 1.34.
 * - amazon-cloudwatch-observability (the log-shipping add-on, `optionalAddons`). The add-on is built from the chart
 *   of the same version in aws-observability/helm-charts, whose tags confirm the upstream releases: 4.5.0 (tag
 *   amazon-cloudwatch-observability-4.5.0, commit 2c551a0c, 2025-09-24) up to 6.4.0 (2026-07-21) in the stored copy;
 *   both read `containerLogs.enabled`, the one setting bulwark sends. 1.36: v6.7.0-eksbuild.1 is what a public
 *   Terraform configuration records `describe-addon-versions` resolved to as the default when it created the add-on
 *   on an EKS 1.36 cluster (kube-proxy v1.36.0-eksbuild.45 beside it): confirmed for 1.36. 1.34 and 1.35:
 *   v4.5.0-eksbuild.1 was seen pinned in a public Terraform configuration that names no Kubernetes version; the
 *   release is confirmed, its eksbuild and its compatibility with 1.34 and 1.35 are not: check them with
 *   describe-addon-versions before switching on log-shipping.
 */
export const EKS_VERSIONS: readonly EksVersion[] = [
  {
    version: '1.36',
    addons: {
      // Unconfirmed: no stored source lists EKS 1.36 or its add-on builds (see above).
      'vpc-cni': 'v1.21.1-eksbuild.1',
      'kube-proxy': 'v1.36.0-eksbuild.14',
      coredns: 'v1.13.2-eksbuild.1',
      'aws-ebs-csi-driver': 'v1.66.0-eksbuild.1',
      'eks-pod-identity-agent': 'v1.3.10-eksbuild.1',
    },
    // The default describe-addon-versions resolved on an EKS 1.36 cluster (a public record, see above).
    optionalAddons: { 'amazon-cloudwatch-observability': 'v6.7.0-eksbuild.1' },
  },
  {
    version: '1.35',
    endOfStandardSupport: '2027-03-27',
    addons: {
      'vpc-cni': 'v1.21.1-eksbuild.1',
      'kube-proxy': 'v1.35.3-eksbuild.13',
      coredns: 'v1.13.2-eksbuild.4',
      'aws-ebs-csi-driver': 'v1.66.0-eksbuild.1',
      'eks-pod-identity-agent': 'v1.3.10-eksbuild.2',
    },
    optionalAddons: { 'amazon-cloudwatch-observability': 'v4.5.0-eksbuild.1' }, // release confirmed, eksbuild not
  },
  {
    version: '1.34',
    endOfStandardSupport: '2026-12-02',
    addons: {
      'vpc-cni': 'v1.21.1-eksbuild.1',
      'kube-proxy': 'v1.34.6-eksbuild.13',
      coredns: 'v1.12.4-eksbuild.1', // the user guide's table for 1.34
      'aws-ebs-csi-driver': 'v1.66.0-eksbuild.1',
      'eks-pod-identity-agent': 'v1.3.10-eksbuild.1', // not per minor (see above)
    },
    optionalAddons: { 'amazon-cloudwatch-observability': 'v4.5.0-eksbuild.1' }, // release confirmed, eksbuild not
  },
];

/** The table entry of a supported version; config validation has refused every other version. */
export function eksVersion(version: string): EksVersion {
  const found = EKS_VERSIONS.find((v) => v.version === version);
  if (found === undefined) {
    throw new Error(
      `EKS does not support Kubernetes ${version} in standard support. Allowed: ${EKS_VERSIONS.map((v) => v.version).join(', ')}. Fix: set bulwark:kubernetesVersion to one of them.`,
    );
  }
  return found;
}
