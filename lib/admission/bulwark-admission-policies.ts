import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { admissionPolicies, AdmissionPolicyOptions } from '../policy/admission/admission-policies';

export type BulwarkAdmissionPoliciesProps = AdmissionPolicyOptions;

/**
 * The catalog's pod rules enforced in the cluster: one ValidatingAdmissionPolicy `bulwark-<rule-id>` and its binding
 * per rule (admissionregistration.k8s.io/v1, Kubernetes >= 1.30). Workloads opt out of a rule only with the annotation
 * `exempt.bulwark.dev/<rule-id>: <reason>` on the object or its pod template, exactly as for synth-time validation
 * and `bulwark audit`.
 *
 * Roll out with `validationActions: ['Warn', 'Audit']` first, watch the warnings, then switch to the default Deny.
 */
export class BulwarkAdmissionPolicies extends Construct {
  /** The policies and bindings, in the order they were generated. */
  readonly apiObjects: readonly ApiObject[];

  constructor(scope: Construct, id: string, props: BulwarkAdmissionPoliciesProps = {}) {
    super(scope, id);
    const chartNamespace = Chart.of(this).namespace;
    this.apiObjects = admissionPolicies(props).map((object) => {
      const { apiVersion, kind, metadata, ...rest } = object;
      const api = new ApiObject(this, `${kind}-${metadata?.name}`, { apiVersion, kind, metadata, ...rest });
      // Policies and bindings are cluster-scoped: a chart-wide namespace must not leak into them.
      if (chartNamespace !== undefined) api.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
      return api;
    });
  }
}
