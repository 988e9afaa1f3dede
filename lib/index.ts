/**
 * bulwark: the hardened cdk8s constructs, the error they throw, the admission policies and the policy engine
 * (`policy`: audit, the rule catalog, manifest reading). Internals (synth-time validation, prop validators, the CEL
 * translation machinery) are not part of it. The cluster components are in the subpath exports `bulwark/cluster`,
 * `bulwark/eks`, `bulwark/gke` and `bulwark/aks`.
 *
 * @module bulwark
 */
export { BulwarkError } from './construct/errors';
export type { PropErrorDetails } from './construct/errors';
export * from './construct/bulwark-chart';
export type { Exemption } from './construct/construct-exemptions';
export { DuplicateCdk8sError } from './construct/single-cdk8s';
export { NODE_POOL_KEY, nodePoolLabels, nodePoolTaint } from './k8s/node-pools';
export * from './exposure';
export * from './identity/least-privilege-service-account';
export * from './namespaces/default-deny-namespace';
export * from './network';
export * from './secrets';
export * from './workloads';
export * from './admission';
export {
  ADMISSION_KINDS,
  admissionPolicies,
  AdmissionPolicyError,
  DEFAULT_NAMESPACE_SELECTOR,
  VALIDATION_ACTIONS,
} from './policy/admission/admission-policies';
export type { AdmissionPolicyOptions, ValidationAction } from './policy/admission/admission-policies';
export { untranslatableRules } from './policy/admission/translations';
export type { UntranslatableRule } from './policy/admission/cel-translation';
export * as policy from './policy';
