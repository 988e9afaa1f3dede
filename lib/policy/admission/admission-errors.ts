/** A problem generating the admission policies (options, grants, a rule's translation); the message says the fix. */
export class AdmissionPolicyError extends Error {}
