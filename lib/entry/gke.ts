/**
 * `bulwark/gke`: the hardened GKE cluster component and its config, posture controls and mocks. Its Pulumi SDKs are
 * optional peer dependencies, checked before anything loads them.
 *
 * @module bulwark/gke
 */
import { requirePeers } from './optional-peers';

requirePeers('bulwark/gke', ['@pulumi/pulumi', '@pulumi/gcp', '@pulumi/kubernetes']);

export * from '../cluster/gke';
