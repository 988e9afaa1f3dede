import { PodView } from './pod-template';

export interface PodServiceAccount {
  /** ServiceAccount the pod runs as. */
  readonly name: string;
  /** Field that names it (`serviceAccountName`, or the deprecated `serviceAccount`); undefined when implicit. */
  readonly field?: 'serviceAccountName' | 'serviceAccount';
}

/**
 * The ServiceAccount a pod runs as, as the API server resolves it: spec.serviceAccountName, else the deprecated
 * spec.serviceAccount, else the namespace's `default` ServiceAccount.
 */
export function podServiceAccount(pod: PodView): PodServiceAccount {
  for (const field of ['serviceAccountName', 'serviceAccount'] as const) {
    const value = pod.spec[field];
    if (typeof value === 'string' && value !== '') return { name: value, field };
  }
  return { name: 'default' };
}
