// Pulumi program of the cluster stacks (Pulumi.yaml `main`). `pulumi up --stack eks-prod` runs it against the cloud;
// `bulwark plan --stack eks-prod` runs the same program offline under mocks. A stack whose config has
// `bulwark:baselineFor` is a baseline stack: it applies the baseline of that cluster stack (baselineApply:
// separate-stack) from a runner inside the network.
import * as pulumi from '@pulumi/pulumi';
import { ConfigError } from '../../lib/cluster/config/config-error';
import { validateClusterConfig } from '../../lib/cluster/program/cluster-config';
import { rawConfigFromPulumi } from '../../lib/cluster/config/pulumi-config-source';
import { clusterProgram } from '../../lib/cluster/program/cluster-program';
import {
  baselineStackProgram,
  isBaselineStack,
  validateBaselineStackConfig,
} from '../../lib/cluster/program/baseline-stack';

// A function, so that importing this module creates nothing: Pulumi calls it once the engine is attached.
export = async (): Promise<Record<string, pulumi.Input<unknown>>> => {
  const raw = rawConfigFromPulumi();
  const source = `stack '${pulumi.getStack()}' (stacks/Pulumi.${pulumi.getStack()}.yaml)`;
  try {
    if (isBaselineStack(raw)) return await baselineStackProgram(validateBaselineStackConfig(raw, source));
    return clusterProgram(validateClusterConfig(raw, source));
  } catch (e) {
    // RunError: Pulumi prints the message without a stack trace.
    if (e instanceof ConfigError) throw new pulumi.RunError(e.message);
    throw e;
  }
};
