/**
 * bulwark: the hardened cdk8s constructs, the rule catalog (`policy`) and the admission policies. The cluster
 * components are in the subpath exports `bulwark/cluster`, `bulwark/eks`, `bulwark/gke` and `bulwark/aks`.
 *
 * @module bulwark
 */
export * from './construct/errors';
export * from './construct/bulwark-chart';
export * from './construct/construct-exemptions';
export * from './k8s/node-pools';
export * from './construct/single-cdk8s';
export * from './construct/synth-validation';
export * from './exposure';
export * from './identity/least-privilege-service-account';
export * from './namespaces/default-deny-namespace';
export * from './network';
export * from './secrets';
export * from './workloads';
export * from './policy/admission';
export * from './admission';
export * as policy from './policy';
