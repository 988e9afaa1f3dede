import type { BaselineApplyPath, CloudConventions, CloudMocks, ProvisionedCluster } from '../contracts/cloud-contracts';
import type { PostureControl } from '../posture/posture-control';

/** Everything bulwark knows about one cloud, loaded so that only `provision` pulls in the SDK. */
export interface CloudSupport<C> {
  readonly label: string;
  readonly conventions: CloudConventions;
  readonly controls: readonly PostureControl[];
  /** Controls of an apply path other than in-program (e.g. the Flux bootstrap of `gitops`). */
  readonly pathControls?: Partial<Record<BaselineApplyPath, readonly PostureControl[]>>;
  readonly mocks: CloudMocks;
  provision(config: C): ProvisionedCluster;
}
