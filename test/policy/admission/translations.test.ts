import { PodRule, RULES } from '../../../lib/policy';
import {
  ADMISSION_TRANSLATIONS,
  admissionTranslation,
  isUntranslatable,
  untranslatableRules,
} from '../../../lib/policy/admission';

const POD_RULES = RULES.filter((r): r is PodRule => r.scope === 'pod');

describe('admission translations meta-test', () => {
  it.each(POD_RULES.map((r) => [r.id]))('pod rule %s has a CEL translation or an explicit reason why not', (id) => {
    const t = admissionTranslation(id);
    expect(t).toBeDefined();
    if (t && isUntranslatable(t)) expect(t.untranslatable.length).toBeGreaterThan(40);
    else expect(typeof t?.translate).toBe('function');
  });

  it('has no translation for a rule that is not a pod rule of the catalog', () => {
    const podIds = new Set(POD_RULES.map((r) => r.id));
    expect([...ADMISSION_TRANSLATIONS.keys()].filter((id) => !podIds.has(id))).toEqual([]);
  });

  it('lists the rules admission cannot enforce, with why', () => {
    expect(untranslatableRules().map((t) => t.ruleId)).toEqual([
      'network-egress-isolation',
      'network-workload-isolation',
      'network-workload-namespace-default-deny',
      'workload-env-credentials',
      'workload-sa-token-automount',
      'workload-service-account-powers',
    ]);
    expect(untranslatableRules().map((t) => t.untranslatable)).toEqual([
      "the verdict depends on the NetworkPolicies of the pod's namespace and their policyTypes, which a ValidatingAdmissionPolicy cannot list (CEL sees only the request, its params and namespace)",
      "the verdict depends on the NetworkPolicies of the pod's namespace, which a ValidatingAdmissionPolicy cannot list (CEL sees only the request, its params and namespace)",
      "the verdict depends on the NetworkPolicies of the pod's namespace, which a ValidatingAdmissionPolicy cannot list (CEL sees only the request, its params and namespace)",
      'its high-entropy test computes the Shannon entropy of each value (a frequency count per character), which CEL has no function for; the secret-looking-name and token-format tests alone would let generated keys through at admission',
      'when the pod leaves spec.automountServiceAccountToken unset, the verdict depends on its ServiceAccount object, which a ValidatingAdmissionPolicy cannot read (CEL sees only the request, its params and namespace)',
      "the verdict depends on the RoleBindings, ClusterRoleBindings and roles that name the pod's ServiceAccount, which a ValidatingAdmissionPolicy cannot read (CEL sees only the request, its params and namespace); the RBAC rules judge those roles at admission themselves",
    ]);
  });
});
