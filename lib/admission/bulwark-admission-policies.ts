import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { ExemptionGrant, checkGrants } from '../policy/exemption-grants';
import {
  admissionPolicies,
  AdmissionPolicyError,
  AdmissionPolicyOptions,
} from '../policy/admission/admission-policies';
import { exemptionGrantObjects } from '../policy/admission/exemption-grant-objects';
import { rejectUnknownProps } from '../construct/known-props';

export interface BulwarkAdmissionPoliciesProps extends AdmissionPolicyOptions {
  /**
   * The exemptions the platform team grants, installed as the ExemptionGrantSet `bulwark` that every binding reads.
   * An `exempt.bulwark.dev/<rule>` annotation counts only with a matching, unexpired grant (docs/exemptions.md).
   * @default none: no annotation exempts anything
   */
  readonly grants?: readonly ExemptionGrant[];
}

/**
 * The catalog's pod rules enforced in the cluster: one ValidatingAdmissionPolicy `bulwark-<rule-id>` and its binding
 * per rule (admissionregistration.k8s.io/v1, Kubernetes >= 1.30), with the ExemptionGrantSet CRD, the grant set
 * `bulwark` and the ClusterRoles that guard it. Workloads ask for an exemption with the annotation
 * `exempt.bulwark.dev/<rule-id>: <reason>` on the object or its pod template; it counts only when `grants` holds an
 * unexpired grant for that rule and object (granted, not declared).
 *
 * Roll out with `validationActions: ['Warn', 'Audit']` first, watch the warnings, then switch to the default Deny.
 */
export class BulwarkAdmissionPolicies extends Construct {
  /** The policies and bindings, in the order they were generated. */
  readonly apiObjects: readonly ApiObject[];

  constructor(scope: Construct, id: string, props: BulwarkAdmissionPoliciesProps = {}) {
    super(scope, id);
    rejectUnknownProps(this, props);
    const chartNamespace = Chart.of(this).namespace;
    const customIds = (props.customRuleFolders ?? []).map((c) => c.rule.id);
    const { grants, problems } = checkGrants(props.grants ?? [], 'grants', customIds);
    if (problems.length > 0) {
      throw new AdmissionPolicyError(
        `BulwarkAdmissionPolicies at '${this.node.path}': invalid exemption grants:\n  ` +
          problems.map((p) => `${p.path}: ${p.message}`).join('\n  '),
      );
    }
    this.apiObjects = [...exemptionGrantObjects(grants), ...admissionPolicies(props)].map((object) => {
      const { apiVersion, kind, metadata, ...rest } = object;
      const api = new ApiObject(this, `${kind}-${metadata?.name}`, { apiVersion, kind, metadata, ...rest });
      // Policies, bindings, the CRD, the grant set and the roles are cluster-scoped: a chart-wide namespace must not leak into them.
      if (chartNamespace !== undefined) api.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
      return api;
    });
  }
}
