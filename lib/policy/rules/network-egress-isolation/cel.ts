import { defineCelTranslation } from '../../admission/cel-translation';

export const networkEgressIsolationCel = defineCelTranslation({
  ruleId: 'network-egress-isolation',
  untranslatable:
    "the verdict depends on the NetworkPolicies of the pod's namespace and their policyTypes, which a ValidatingAdmissionPolicy cannot list (CEL sees only the request, its params and namespace)",
});
