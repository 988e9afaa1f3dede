import { AKS_MOCKS } from '../aks/aks-mocks';
import { AKS_CONTROLS, AKS_GITOPS_CONTROLS } from '../aks/aks-posture';
import { BASELINE_CONTROLS } from '../baseline/baseline-posture';
import { addonControls } from '../addons/addon-posture';
import type { AddonsConfig } from '../addons/addons-config';
import { AKS_CONVENTIONS } from '../aks/aks-config';
import { EKS_CONVENTIONS } from '../eks/eks-config';
import { GKE_CONVENTIONS } from '../gke/gke-config';
import { ClusterConfig, CloudName } from './cluster-config';
import { EKS_MOCKS } from '../eks/eks-mocks';
import { EKS_CONTROLS } from '../eks/eks-posture';
import { GKE_MOCKS } from '../gke/gke-mocks';
import { GKE_CONTROLS } from '../gke/gke-posture';
import type { BaselineApplyPath } from '../contracts/cloud-contracts';
import { PostureControl } from '../posture/posture-control';
import { CloudSupport } from './provisioned-cluster';

type Support = { readonly [C in CloudName]: CloudSupport<Extract<ClusterConfig, { cloud: C }>> };

/**
 * Per cloud: posture controls and mocks (no SDK) and the component, required lazily so that planning or deploying an
 * EKS stack never loads @pulumi/gcp or @pulumi/azure-native, and the other way round.
 */
const CLOUDS: Support = {
  aws: {
    label: 'Amazon EKS',
    conventions: EKS_CONVENTIONS,
    controls: EKS_CONTROLS,
    mocks: EKS_MOCKS,
    provision: (config) =>
      (require('../eks/provision-eks') as typeof import('../eks/provision-eks')).provisionEks(config),
  },
  gcp: {
    label: 'Google Kubernetes Engine',
    conventions: GKE_CONVENTIONS,
    controls: GKE_CONTROLS,
    mocks: GKE_MOCKS,
    provision: (config) =>
      (require('../gke/provision-gke') as typeof import('../gke/provision-gke')).provisionGke(config),
  },
  azure: {
    label: 'Azure Kubernetes Service',
    conventions: AKS_CONVENTIONS,
    controls: AKS_CONTROLS,
    pathControls: { gitops: AKS_GITOPS_CONTROLS },
    mocks: AKS_MOCKS,
    provision: (config) =>
      (require('../aks/provision-aks') as typeof import('../aks/provision-aks')).provisionAks(config),
  },
};

export function cloudSupport<C extends CloudName>(cloud: C): Support[C] {
  return CLOUDS[cloud];
}

/**
 * The posture checklist of a stack: the cloud's controls, then those of the way its baseline is applied: the baseline's
 * own controls when this program installs it, the GitOps bootstrap's when Flux pulls it. A stack whose baseline is
 * applied by a separate stack gets the baseline's controls in that stack's plan.
 */
export function postureControls(
  cloud: CloudName,
  applyPath: BaselineApplyPath = 'in-program',
  addons: AddonsConfig = {},
): readonly PostureControl[] {
  const pathControls = applyPath === 'in-program' ? BASELINE_CONTROLS : (CLOUDS[cloud].pathControls?.[applyPath] ?? []);
  return [...CLOUDS[cloud].controls, ...pathControls, ...addonControls(cloud, addons)];
}
