import { defineCelTranslation } from '../../admission/cel-translation';

export const workloadSaTokenAutomountCel = defineCelTranslation({
  ruleId: 'workload-sa-token-automount',
  untranslatable:
    'when the pod leaves spec.automountServiceAccountToken unset, the verdict depends on its ServiceAccount object, which a ValidatingAdmissionPolicy cannot read (CEL sees only the request, its params and namespace)',
});
