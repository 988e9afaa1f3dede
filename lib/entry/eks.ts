/**
 * `bulwark/eks`: the hardened EKS cluster component and its config, posture controls and mocks. Its Pulumi SDKs are
 * optional peer dependencies, checked before anything loads them.
 *
 * @module bulwark/eks
 */
import { requirePeers } from './optional-peers';

requirePeers('bulwark/eks', ['@pulumi/pulumi', '@pulumi/aws', '@pulumi/kubernetes']);

export * from '../cluster/eks';
