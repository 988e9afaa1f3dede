import { K8sObject } from '../k8s/k8s-object';
import { PodView } from '../k8s/pod-template';
import { PssLevel } from './pss-version';
import { ObjectIndex } from '../k8s/object-index';

export type Severity = 'error' | 'warning';

/** Groups let users select rules (`--only pss,rbac`) and structure the generated docs. */
export type RuleGroup =
  'pss' | 'workload' | 'image' | 'rbac' | 'network' | 'service' | 'secret' | 'ingress' | 'api' | 'schema';
export const RULE_GROUPS: readonly RuleGroup[] = [
  'pss',
  'workload',
  'image',
  'rbac',
  'network',
  'service',
  'secret',
  'ingress',
  'api',
  'schema',
];

export type OwaspId = 'K01' | 'K02' | 'K03' | 'K04' | 'K05' | 'K06' | 'K07' | 'K08' | 'K09' | 'K10';

export interface RuleReferences {
  /** Pod Security Standards control, e.g. `restricted: Capabilities`. */
  readonly pss?: string;
  /** CIS Kubernetes Benchmark recommendations, e.g. `5.2.8`. */
  readonly cis?: readonly string[];
  /** NSA/CISA Kubernetes Hardening Guide sections, e.g. `Pod security: non-root containers`. */
  readonly nsa?: readonly string[];
  /** OWASP Kubernetes Top 10 (2022) entries. */
  readonly owasp?: readonly OwaspId[];
}

/** One thing wrong with one object. */
export interface Violation {
  readonly message: string;
  /** Container name, for container-level findings. */
  readonly container?: string;
  /** Dotted field path inside the object, e.g. `spec.template.spec.containers[0].securityContext.privileged`. */
  readonly path?: string;
}

export interface RuleContext {
  /** Pod Security level being enforced (restricted includes baseline). */
  readonly level: PssLevel;
  /** Pod Security Standards version as a minor number (see pss-version.ts). */
  readonly pssVersion: number;
  /** Registries images may come from; empty or undefined means any. */
  readonly allowedRegistries?: readonly string[];
  /** Every object under evaluation, for rules that look across objects. */
  readonly index: ObjectIndex;
  /** Kubernetes minor release the manifests are meant for (`--kubernetes-version`), see api-versions.ts. */
  readonly kubernetesVersion: number;
  /**
   * Kubernetes release of the OpenAPI schemas the schema rules check against (`v1.34`): the one of
   * `--kubernetes-version`, the newest bulwark has for `latest`. Set when a schema rule is selected.
   */
  readonly schemaRelease?: string;
  /**
   * Whether `object`'s exemption annotation for `ruleId` counts in this audit: asked for with an acceptable reason and,
   * when the audit has grants (`--exemptions`, the cluster's ExemptionGrantSet), granted. Rules that look across
   * objects ask it before leaving out what another object's exemption waives (a Role's exemption must not silence the
   * finding of the pod bound to it on a request alone). @default the annotation alone counts (an audit with no grants)
   */
  readonly exemptionCounts?: (object: K8sObject, ruleId: string) => boolean;
}

interface RuleBase {
  /** Stable id, kebab-case, used in exemptions, `--only` and reports. Never renamed. */
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly group: RuleGroup;
  readonly references: RuleReferences;
  /** What to change, in one or two sentences a person can act on. */
  readonly remediation: string;
  /**
   * Runs only when selected by id or group (`--only schema`), not in the default catalog run (synth, audit,
   * admission). @default false
   */
  readonly optIn?: boolean;
}

/** A rule over the pod spec of Pods and every pod template (Deployment, StatefulSet, DaemonSet, Job, CronJob, ...). */
export interface PodRule extends RuleBase {
  readonly scope: 'pod';
  /** Set for Pod Security Standards controls: the level the control belongs to. */
  readonly pss?: { readonly level: PssLevel };
  check(pod: PodView, ctx: RuleContext): readonly Violation[];
}

/** A rule over objects of given kinds. */
export interface ObjectRule extends RuleBase {
  readonly scope: 'object';
  /**
   * The kinds judged. A plain kind (`Deployment`) matches Kubernetes' own API groups only (a Knative `Service` is not a
   * Service); a custom resource is named with its group, and optionally its version: `cert-manager.io/Certificate`
   * (any version), `cert-manager.io/v1/Certificate`.
   */
  readonly kinds: readonly string[];
  check(object: K8sObject, ctx: RuleContext): readonly Violation[];
}

export type Rule = PodRule | ObjectRule;

/** Identity function that gives rule files a checked, declarative shape. */
export function defineRule<T extends Rule>(rule: T): T {
  return rule;
}

export const NO_VIOLATIONS: readonly Violation[] = Object.freeze([]);
