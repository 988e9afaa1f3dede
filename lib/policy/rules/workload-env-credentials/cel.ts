import { defineCelTranslation } from '../../admission/cel-translation';

export const workloadEnvCredentialsCel = defineCelTranslation({
  ruleId: 'workload-env-credentials',
  untranslatable:
    'its high-entropy test computes the Shannon entropy of each value (a frequency count per character), which CEL has no function for; the secret-looking-name and token-format tests alone would let generated keys through at admission',
});
