import { isDns1035Label, isDns1123Label, isDns1123Subdomain } from './dns-names';

/**
 * What the API server requires of `metadata.name` for each built-in kind (the `ValidateXName` functions of
 * pkg/apis/<group>/validation). Kinds not listed here are not checked.
 */
export interface NameRule {
  /** What a name must be, for messages: "a DNS-1035 label (...)". */
  readonly allowed: string;
  readonly test: (name: string) => boolean;
}

const SUBDOMAIN: NameRule = {
  allowed:
    "a DNS-1123 subdomain: lower-case letters, digits, '-' and '.', starting and ending alphanumeric, at most 253 characters",
  test: isDns1123Subdomain,
};
const LABEL: NameRule = {
  allowed:
    "a DNS-1123 label: lower-case letters, digits and '-', starting and ending alphanumeric, at most 63 characters",
  test: isDns1123Label,
};
/** RBAC names are path segments (path.IsValidPathSegmentName). */
const PATH_SEGMENT: NameRule = {
  allowed: "a path segment: not '.' or '..', without '/' or '%'",
  test: (n) => n !== '.' && n !== '..' && !/[/%]/.test(n) && n.length > 0,
};

/** The longest CronJob name: the controller appends an 11-character suffix to name its Jobs (≤ 63). */
export const CRONJOB_NAME_MAX_LENGTH = 52;

const RULES: Readonly<Record<string, NameRule>> = {
  Namespace: LABEL,
  Service: {
    allowed:
      "a DNS-1035 label: lower-case letters, digits and '-', starting with a letter and ending alphanumeric, at most 63 characters",
    test: isDns1035Label,
  },
  CronJob: {
    allowed: `a DNS-1123 subdomain of at most ${CRONJOB_NAME_MAX_LENGTH} characters (the controller appends a suffix to name its Jobs)`,
    test: (n) => isDns1123Subdomain(n) && n.length <= CRONJOB_NAME_MAX_LENGTH,
  },
  // The Job controller writes the name into the pods' `job-name` label, whose values have at most 63 characters.
  Job: {
    allowed: 'a DNS-1123 subdomain of at most 63 characters (it becomes the job-name label of the pods)',
    test: (n) => isDns1123Subdomain(n) && n.length <= 63,
  },
  Pod: SUBDOMAIN,
  Deployment: SUBDOMAIN,
  StatefulSet: SUBDOMAIN,
  DaemonSet: SUBDOMAIN,
  ReplicaSet: SUBDOMAIN,
  ConfigMap: SUBDOMAIN,
  Secret: SUBDOMAIN,
  ServiceAccount: SUBDOMAIN,
  NetworkPolicy: SUBDOMAIN,
  Ingress: SUBDOMAIN,
  IngressClass: SUBDOMAIN,
  PodDisruptionBudget: SUBDOMAIN,
  HorizontalPodAutoscaler: SUBDOMAIN,
  PersistentVolumeClaim: SUBDOMAIN,
  ResourceQuota: SUBDOMAIN,
  LimitRange: SUBDOMAIN,
  PriorityClass: SUBDOMAIN,
  ValidatingAdmissionPolicy: SUBDOMAIN,
  ValidatingAdmissionPolicyBinding: SUBDOMAIN,
  Role: PATH_SEGMENT,
  ClusterRole: PATH_SEGMENT,
  RoleBinding: PATH_SEGMENT,
  ClusterRoleBinding: PATH_SEGMENT,
};

/** The name rule of a built-in kind, or undefined for kinds this model does not know. */
export function nameRuleOf(kind: string): NameRule | undefined {
  return Object.prototype.hasOwnProperty.call(RULES, kind) ? RULES[kind] : undefined;
}
