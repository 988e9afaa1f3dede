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

/** A version EKS offers in standard support, and the add-on versions bulwark pins for it. */
export interface EksVersion extends SupportedVersion {
  readonly addons: Readonly<Record<EksAddonName, string>>;
}

/**
 * Kubernetes versions in EKS standard support, newest first, with the add-on versions pinned for each (so that a
 * second `pulumi up` never moves an add-on on its own; moving one is a reviewed change of this table).
 * Sources: the EKS version calendar (docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html) and the
 * add-on version tables of the EKS user guide; `aws eks describe-addon-versions --kubernetes-version <v>
 * --addon-name <name>` lists what a region offers. Versions past their end of standard support leave the table.
 * With no AWS account here, the pins of 1.35 (the example stacks' version) were checked against EKS clusters that
 * public infrastructure repositories deploy on 1.35 (vpc-cni v1.21.1-eksbuild.1, coredns v1.13.2-eksbuild.4,
 * eks-pod-identity-agent v1.3.10-eksbuild.2, kube-proxy v1.35.3 builds), November 2026. Pins marked `unconfirmed`
 * were seen on other minors only and must be checked with describe-addon-versions before the first deployment on that
 * minor (EKS refuses an unknown version at create time; it does not substitute one).
 */
export const EKS_VERSIONS: readonly EksVersion[] = [
  {
    version: '1.36',
    addons: {
      'vpc-cni': 'v1.21.1-eksbuild.1', // unconfirmed
      'kube-proxy': 'v1.36.0-eksbuild.14',
      coredns: 'v1.13.2-eksbuild.1', // unconfirmed
      'aws-ebs-csi-driver': 'v1.66.0-eksbuild.1',
      'eks-pod-identity-agent': 'v1.3.10-eksbuild.1', // unconfirmed
    },
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
  },
  {
    version: '1.34',
    endOfStandardSupport: '2026-12-02',
    addons: {
      'vpc-cni': 'v1.21.1-eksbuild.1', // unconfirmed
      'kube-proxy': 'v1.34.6-eksbuild.13',
      coredns: 'v1.12.4-eksbuild.1',
      'aws-ebs-csi-driver': 'v1.66.0-eksbuild.1',
      'eks-pod-identity-agent': 'v1.3.10-eksbuild.1', // unconfirmed
    },
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
