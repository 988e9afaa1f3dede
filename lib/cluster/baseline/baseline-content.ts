import { App, Chart } from 'cdk8s';
import { DefaultDenyNamespace } from '../../namespaces/default-deny-namespace';
import { BulwarkAdmissionPolicies } from '../../admission/bulwark-admission-policies';
import { ExemptionGrant } from '../../policy/exemption-grants';
import { formatPssVersion, NEWEST_PSS_MINOR } from '../../policy/pss-version';

/** What the baseline installs: a cdk8s App or Chart, or a function building one (run once, at install). */
export type BaselineContent = App | Chart | (() => App | Chart);

/** A Kubernetes object as cdk8s synthesizes it. */
export type SynthesizedObject = Record<string, unknown> & {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
};

export interface DefaultBaselineOptions {
  /** One DefaultDenyNamespace per name. */
  readonly namespaces: readonly string[];
  /** The cluster's Kubernetes minor version (`1.31`): the Pod Security Standards version everything pins. */
  readonly kubernetesVersion: string;
  /** Exemption grants installed with the admission policies (docs/exemptions.md). @default none */
  readonly exemptionGrants?: readonly ExemptionGrant[];
  /** Label every namespace for the image-policy add-on's ClusterImagePolicy (`policy.sigstore.dev/include`). */
  readonly imagePolicy?: boolean;
}

/** `v1.31` for a 1.31 cluster; the newest version the catalog knows for a newer cluster. */
export function pssVersionFor(kubernetesVersion: string): string {
  const minor = Number(kubernetesVersion.split('.')[1]);
  if (!Number.isInteger(minor)) throw new Error(`not a Kubernetes minor version: '${kubernetesVersion}'`);
  return formatPssVersion(Math.min(minor, NEWEST_PSS_MINOR));
}

/**
 * The bulwark baseline every new cluster carries: the catalog's pod rules as ValidatingAdmissionPolicies (error rules
 * denied, warnings warned and audited; kube-system left out) with the exemption grants of the stack (the
 * ExemptionGrantSet CRD, the grant set, its ClusterRoles), and a default-deny namespace (PSS restricted, deny-all
 * NetworkPolicy with DNS, quota, limits, no default token) for every namespace named in the stack config. Both pin
 * the Pod Security Standards version of the cluster's Kubernetes version.
 */
export function defaultBaseline(options: DefaultBaselineOptions): App {
  const pssVersion = pssVersionFor(options.kubernetesVersion);
  const app = new App();
  const chart = new Chart(app, 'bulwark-baseline', { disableResourceNameHashes: true });
  new BulwarkAdmissionPolicies(chart, 'admission', { pssVersion, grants: options.exemptionGrants ?? [] });
  for (const name of options.namespaces)
    new DefaultDenyNamespace(chart, name, {
      name,
      podSecurityVersion: pssVersion,
      ...(options.imagePolicy ? { labels: { 'policy.sigstore.dev/include': 'true' } } : {}),
    });
  return app;
}

/**
 * Synthesizes in memory (nothing is written to disk), after running every construct's validation as `cdk8s synth`
 * does, so the catalog's synth-time checks refuse a bad baseline before Pulumi sees it.
 */
export function synthesizeObjects(content: BaselineContent): SynthesizedObject[] {
  const root = typeof content === 'function' ? content() : content;
  const errors = root.node.findAll().flatMap((c) => c.node.validate().map((e) => `[${c.node.path}] ${e}`));
  if (errors.length > 0) {
    throw new Error(`the cluster baseline failed validation:\n  ${errors.join('\n  ')}`);
  }
  const charts = Chart.isChart(root) ? root.node.findAll().filter((c): c is Chart => Chart.isChart(c)) : root.charts;
  return charts.flatMap((c) => c.toJson() as SynthesizedObject[]);
}
