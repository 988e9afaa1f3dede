import { isRecord } from '../k8s/k8s-object';
import { ContainerView, containersOf, PodView } from '../k8s/pod-template';
import { PSS_SINCE, SECCOMP_ALLOWED_TYPES } from './pss-allow-lists';
import { NO_VIOLATIONS, RuleContext, Violation } from './rule';

/**
 * Field readers shared by the Pod Security Standards rules. Like upstream (kubernetes/pod-security-admission), a
 * field that is absent or null counts as unset; audited input is untrusted, so nothing here assumes a shape.
 */

let lastPod: PodView | undefined;
let lastContainers: readonly ContainerView[] = [];

/**
 * The pod's containers (regular, init, ephemeral), shared by the PSS rules, which would otherwise each rebuild the
 * same views and paths for every object audited. The engine runs all pod rules on one PodView before the next, so
 * remembering the last pod is enough (and cheaper than a WeakMap on this hot path).
 */
export function podContainers(pod: PodView): readonly ContainerView[] {
  if (pod !== lastPod) {
    lastContainers = containersOf(pod);
    lastPod = pod;
  }
  return lastContainers;
}

/** `spec.securityContext` of the pod, or undefined when absent. */
export function podSecurityContext(pod: PodView): Record<string, unknown> | undefined {
  const sc = pod.spec.securityContext;
  return isRecord(sc) ? sc : undefined;
}

/** `securityContext` of a container, or undefined when absent. */
export function containerSecurityContext(c: ContainerView): Record<string, unknown> | undefined {
  const sc = c.container.securityContext;
  return isRecord(sc) ? sc : undefined;
}

/** A nested object field (`securityContext.seccompProfile`, ...), or undefined when absent or null. */
export function recordField(
  holder: Record<string, unknown> | undefined,
  key: string,
): Record<string, unknown> | undefined {
  const value = holder?.[key];
  return isRecord(value) ? value : undefined;
}

/** True when a field is present with a value (Go: a non-nil pointer). */
export function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** `spec.os.name == windows`: upstream exempts such pods from some restricted checks from v1.25. */
export function isWindowsPod(pod: PodView): boolean {
  const os = pod.spec.os;
  return isRecord(os) && os.name === 'windows';
}

/** `spec.hostUsers: false`: the pod runs in a user namespace, which relaxes some checks from v1.35. */
export function usesUserNamespace(pod: PodView): boolean {
  return pod.spec.hostUsers === false;
}

/** Restricted allowPrivilegeEscalation, seccomp and capabilities exempt Windows pods from v1.25. */
export function exemptAsWindowsPod(pod: PodView, ctx: RuleContext): boolean {
  return ctx.pssVersion >= PSS_SINCE.windowsExemption && isWindowsPod(pod);
}

/** From v1.35 a user-namespace pod is exempt from runAsNonRoot, runAsUser and baseline procMount. */
export function exemptAsUserNamespacePod(pod: PodView, ctx: RuleContext): boolean {
  return ctx.pssVersion >= PSS_SINCE.userNamespaceRelaxation && usesUserNamespace(pod);
}

/**
 * At restricted level, upstream replaces (`OverrideCheckIDs`) the baseline seccomp and capabilities checks with their
 * restricted counterparts, which exempt Windows pods from v1.25. For every other pod the restricted check is strictly
 * stronger, so the baseline finding changes no verdict; for a Windows pod it would reject a pod upstream admits.
 * Baseline rules that upstream overrides call this to stand aside exactly where that matters.
 */
export function overriddenForWindowsAtRestricted(pod: PodView, ctx: RuleContext): boolean {
  return ctx.level === 'restricted' && exemptAsWindowsPod(pod, ctx);
}

/** Renders a found value for a message: strings quoted, everything else as JSON. */
export function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}

/** `'a', 'b'` for a message. */
export function showList(values: readonly unknown[]): string {
  return values.map(show).join(', ');
}

/** Dotted path of the pod's metadata inside the object (`metadata`, `spec.template.metadata`, ...). */
export function podMetadataPath(pod: PodView): string {
  return `${pod.specPath.slice(0, -'spec'.length)}metadata`;
}

/** Path of an annotation value in the dotted-path notation of findings. */
export function annotationPath(pod: PodView, key: string): string {
  return `${podMetadataPath(pod)}.annotations['${key}']`;
}

const SECCOMP_TYPES = new Set(SECCOMP_ALLOWED_TYPES);

/** `seccompProfile.type` is RuntimeDefault or Localhost. */
export function isAllowedSeccompType(type: unknown): boolean {
  return SECCOMP_TYPES.has(type as string);
}

/** Containers whose `securityContext.procMount` is set to anything but Default (baseline and restricted procMount). */
export function procMountViolations(containers: readonly ContainerView[], allowed: string): readonly Violation[] {
  let out: Violation[] | undefined;
  for (const c of containers) {
    const procMount = containerSecurityContext(c)?.procMount;
    if (!isSet(procMount) || procMount === 'Default') continue;
    (out ??= []).push({
      message: `container '${c.name}' sets securityContext.procMount=${show(procMount)}; ${allowed}`,
      container: c.name,
      path: `${c.path}.securityContext.procMount`,
    });
  }
  return out ?? NO_VIOLATIONS;
}
