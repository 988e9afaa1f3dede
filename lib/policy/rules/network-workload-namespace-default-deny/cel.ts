import { defineCelTranslation } from '../../admission/cel-translation';

export const networkWorkloadNamespaceDefaultDenyCel = defineCelTranslation({
  ruleId: 'network-workload-namespace-default-deny',
  untranslatable:
    "the verdict depends on the NetworkPolicies of the pod's namespace, which a ValidatingAdmissionPolicy cannot list (CEL sees only the request, its params and namespace)",
});
