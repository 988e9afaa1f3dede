import { parseAllDocuments } from 'yaml';
import { audit, AuditOptions, K8sObject } from '../../lib/policy';

/** Objects from a multi-document YAML string. */
export function objectsOf(yaml: string): K8sObject[] {
  return parseAllDocuments(yaml)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

/** `Kind name path: message` of every finding of one rule, for exact assertions. */
export function findingsOf(
  ruleId: string,
  input: string | K8sObject[],
  options: Omit<AuditOptions, 'only'> = {},
): string[] {
  const objects = typeof input === 'string' ? objectsOf(input) : input;
  return audit(objects, { ...options, only: [ruleId] }).findings.map(
    (f) => `${f.object.kind} ${f.object.name} ${f.path}: ${f.message}`,
  );
}
