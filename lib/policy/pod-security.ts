import { Auditor, Finding } from './engine';
import { K8sObject } from '../k8s/k8s-object';
import { PssLevel } from './pss-version';

export interface PodSecurityOptions {
  readonly level: PssLevel;
  /** Pod Security Standards version as a namespace label names it: `v1.30` or `latest`. */
  readonly version: string;
}

/** Auditors restricted to the pss group, one per level and version, built on first use. */
const auditors = new Map<string, Auditor>();

/**
 * Evaluates one object (a Pod or any workload with a pod template) against the Pod Security Standards at a level and
 * version, the way the `pod-security.kubernetes.io/enforce` and `enforce-version` labels would. Returns the findings
 * that are not exempted; an empty list means the pod is admitted. Throws RangeError for a malformed version.
 */
export function evaluatePodSecurity(object: K8sObject, options: PodSecurityOptions): readonly Finding[] {
  const key = `${options.level}@${options.version}`;
  let auditor = auditors.get(key);
  if (!auditor) {
    auditor = new Auditor({ level: options.level, pssVersion: options.version, only: ['pss'] });
    auditors.set(key, auditor);
  }
  return auditor.audit([object]).findings;
}
