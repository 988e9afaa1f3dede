// Pulumi program of the cluster stacks (Pulumi.yaml `main`). `pulumi up --stack eks-prod` runs it against the cloud;
// `bulwark plan --stack eks-prod` runs the same clusterProgram offline under mocks.
import * as pulumi from '@pulumi/pulumi';
import { ConfigError } from '../../lib/cluster/config/config-error';
import { validateClusterConfig } from '../../lib/cluster/program/cluster-config';
import { rawConfigFromPulumi } from '../../lib/cluster/config/pulumi-config-source';
import { clusterProgram } from '../../lib/cluster/program/cluster-program';

// A function, so that importing this module creates nothing: Pulumi calls it once the engine is attached.
export = async (): Promise<Record<string, pulumi.Input<unknown>>> => {
  let config;
  try {
    config = validateClusterConfig(
      rawConfigFromPulumi(),
      `stack '${pulumi.getStack()}' (stacks/Pulumi.${pulumi.getStack()}.yaml)`,
    );
  } catch (e) {
    // RunError: Pulumi prints the message without a stack trace.
    if (e instanceof ConfigError) throw new pulumi.RunError(e.message);
    throw e;
  }
  return clusterProgram(config);
};
