/**
 * `bulwark/aks`: the hardened AKS cluster component and its config, posture controls and mocks. Its Pulumi SDKs are
 * optional peer dependencies, checked before anything loads them.
 *
 * @module bulwark/aks
 */
import { requirePeers } from './optional-peers';

requirePeers('bulwark/aks', ['@pulumi/pulumi', '@pulumi/azure-native', '@pulumi/kubernetes']);

export * from '../cluster/aks';
