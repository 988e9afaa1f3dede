import * as pulumi from '@pulumi/pulumi';
import { defaultBaseline } from '../baseline/baseline-content';
import { ClusterBaseline } from '../baseline/cluster-baseline';
import type { StorageClassSpec } from '../contracts/cloud-contracts';
import { ConfigReader, RawConfig } from '../config/config-reader';
import { checkGrants, ExemptionGrant } from '../../policy/exemption-grants';
import type { ClusterProgramOptions } from './cluster-program';

/** The key that makes a stack a baseline stack: the cluster stack whose baseline it applies. */
export const BASELINE_FOR_KEY = 'baselineFor';

/**
 * A baseline stack: the second stack of `baselineApply: separate-stack`. Run by `pulumi up` on a runner inside the
 * cluster's network (an authorized network), it reads the cluster stack's outputs through a StackReference and applies
 * the bulwark baseline through a Kubernetes provider built from its kubeconfig.
 */
export interface BaselineStackConfig {
  /** The cluster stack: `eks-prod` (this project) or `<org>/<project>/<stack>`. */
  readonly clusterStack: string;
}

/** What a cluster stack exports for a baseline applied elsewhere (a baseline stack, the GitOps repository). */
export interface BaselineSpec {
  readonly namespaces: readonly string[];
  readonly kubernetesVersion: string;
  readonly storageClass: StorageClassSpec;
  /** The cluster stack's `bulwark:exemptionGrants`; absent in the outputs of a cluster stack of an older bulwark. */
  readonly exemptionGrants?: readonly ExemptionGrant[];
}

const STACK_NAME = /^[\w.-]+(\/[\w.-]+\/[\w.-]+)?$/;

/** Whether a stack's config (keys without the namespace) is that of a baseline stack. */
export function isBaselineStack(raw: RawConfig): boolean {
  return raw[BASELINE_FOR_KEY] !== undefined;
}

/** Validates a baseline stack's config: `bulwark:baselineFor` and nothing else (the rest comes from the cluster stack). */
export function validateBaselineStackConfig(
  raw: RawConfig,
  source: string,
  namespace = 'bulwark',
): BaselineStackConfig {
  const r = new ConfigReader(raw, namespace);
  const clusterStack = r.string(BASELINE_FOR_KEY, r.value(BASELINE_FOR_KEY), {
    pattern: STACK_NAME,
    allowed:
      'the cluster stack whose baseline this stack applies: a stack of this project ("eks-prod") or "<org>/<project>/<stack>"',
    fix: 'name the cluster stack, e.g. baselineFor: eks-prod (its baselineApply must be separate-stack)',
  });
  r.rejectUnknownKeys();
  r.throwIfProblems(source);
  return { clusterStack: clusterStack as string };
}

/** The fully qualified name a StackReference needs; a bare name is a stack of this organization and project. */
export function qualifiedStackName(clusterStack: string): string {
  return clusterStack.includes('/')
    ? clusterStack
    : `${pulumi.getOrganization()}/${pulumi.getProject()}/${clusterStack}`;
}

function baselineSpecProblem(value: unknown): string | undefined {
  const v = value as Partial<Record<keyof BaselineSpec, unknown>> | undefined;
  if (v === undefined || v === null || typeof v !== 'object') return 'it has no baselineSpec output';
  if (!Array.isArray(v.namespaces) || !v.namespaces.every((n) => typeof n === 'string')) {
    return `baselineSpec.namespaces is ${JSON.stringify(v.namespaces)}, not a list of names`;
  }
  if (typeof v.kubernetesVersion !== 'string') return 'baselineSpec.kubernetesVersion is missing';
  const sc = v.storageClass as Partial<StorageClassSpec> | undefined;
  if (typeof sc?.provisioner !== 'string' || typeof sc.parameters !== 'object' || sc.parameters === null) {
    return 'baselineSpec.storageClass is not {provisioner, parameters}';
  }
  if (v.exemptionGrants !== undefined) {
    const { problems } = checkGrants(v.exemptionGrants, 'baselineSpec.exemptionGrants');
    if (problems.length > 0) return problems.map((p) => `${p.path}: ${p.message}`).join('; ');
  }
  return undefined;
}

/**
 * The baseline stack program. Refuses to run (nothing is applied) when the cluster stack applies its baseline itself
 * or through GitOps (two managers of the same objects), or exports no baseline spec (not a bulwark cluster stack, or
 * not deployed yet).
 */
export async function baselineStackProgram(
  config: BaselineStackConfig,
  options: ClusterProgramOptions = {},
): Promise<Record<string, pulumi.Input<unknown>>> {
  const name = qualifiedStackName(config.clusterStack);
  const cluster = new pulumi.StackReference('cluster-stack', { name });
  const [applyPath, spec, clusterName] = await Promise.all([
    cluster.getOutputDetails('baselineApply'),
    cluster.getOutputDetails('baselineSpec'),
    cluster.getOutputDetails('clusterName'),
  ]);
  if (applyPath.value !== 'separate-stack') {
    throw new pulumi.RunError(
      `the cluster stack ${name} has baselineApply ${JSON.stringify(applyPath.value ?? null)}, not separate-stack: ` +
        'its baseline is applied there (in-program) or by Flux (gitops), and a baseline stack would fight it. ' +
        `Fix: set bulwark:baselineApply: separate-stack in ${config.clusterStack} and run its pulumi up first, or ` +
        'remove this stack',
    );
  }
  const problem = baselineSpecProblem(spec.value);
  if (problem !== undefined) {
    throw new pulumi.RunError(
      `the cluster stack ${name} cannot be read: ${problem}. Allowed: a bulwark cluster stack that has been deployed ` +
        `(pulumi up) with this version of bulwark. Fix: run pulumi up on ${config.clusterStack} first`,
    );
  }
  const baselineSpec = spec.value as BaselineSpec;
  const baseline = new ClusterBaseline(`${String(clusterName.value)}-baseline`, {
    // A secret of the cluster stack; it holds no credential (the exec plugin signs in on the runner).
    kubeconfig: cluster.requireOutput('kubeconfig') as pulumi.Output<string>,
    content:
      options.baseline ??
      (() =>
        defaultBaseline({
          namespaces: baselineSpec.namespaces,
          kubernetesVersion: baselineSpec.kubernetesVersion,
          // Installed even when one has expired since the cluster stack ran: the policies ignore it, the plan flags it.
          exemptionGrants: baselineSpec.exemptionGrants ?? [],
        })),
    storageClass: baselineSpec.storageClass,
  });
  return { clusterStack: name, clusterName: clusterName.value, baselineObjects: baseline.objectCount };
}
