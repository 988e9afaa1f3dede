/**
 * Environment variable names as the API server checks them (apimachinery IsEnvVarName): letters, digits, '_', '-'
 * and '.', not starting with a digit. (Clusters with RelaxedEnvironmentVariableValidation accept more; this is the
 * form every supported version accepts.)
 */
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

export function isEnvVarName(name: unknown): boolean {
  return typeof name === 'string' && ENV_VAR_NAME.test(name);
}
