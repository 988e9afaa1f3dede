/**
 * `bulwark/cluster`: the cloud-neutral cluster pieces (config, baseline, posture, plan, the program). Loads no cloud
 * SDK; its Pulumi SDKs are optional peer dependencies, checked before anything loads them.
 *
 * @module bulwark/cluster
 */
import { requirePeers } from './optional-peers';

requirePeers('bulwark/cluster', ['@pulumi/pulumi', '@pulumi/kubernetes']);

export * from '../cluster';
