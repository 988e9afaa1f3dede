import { formatObjectRef, K8sObject, objectRef, ObjectRef } from '../k8s/k8s-object';
import { ContainerKind, containersOf, podViewsOf } from '../k8s/pod-template';
import type { SourceLocation } from '../manifest/source-location';
import { imagePinning, ImagePinning } from '../policy/rules/image-digest/check';
import { byCodePoint } from '../util/by-code-point';

/**
 * How a container runs: `container`, `init` (runs to completion before the others), `sidecar` (an init container with
 * `restartPolicy: Always`, the native sidecar of Kubernetes 1.28+, which runs beside the app for the pod's life) or
 * `ephemeral` (attached later by `kubectl debug`).
 */
export type ImageUseRole = 'container' | 'init' | 'sidecar' | 'ephemeral';

/** One container that runs an image. */
export interface ImageUse {
  readonly object: ObjectRef;
  readonly container: string;
  readonly role: ImageUseRole;
  /** Dotted path of the container's image in the object, e.g. `spec.template.spec.initContainers[0].image`. */
  readonly path: string;
  readonly file?: string;
  readonly line?: number;
}

/** The pinning status of an image, as the image-digest rule reads it (see imagePinning). */
export type ImagePinStatus = ImagePinning['status'];

/** One distinct image reference of the input, with every container that runs it. */
export interface ImageEntry {
  /** The reference exactly as written in the manifests (a non-string image is shown as its JSON text). */
  readonly image: string;
  /** True only for a valid reference with a sha256 digest: the bytes that run are the bytes that were reviewed. */
  readonly pinned: boolean;
  readonly status: ImagePinStatus;
  /** Registry host, `docker.io` when the reference names none (absent for missing or invalid references). */
  readonly registry?: string;
  readonly repository?: string;
  readonly tag?: string;
  readonly digest?: string;
  readonly uses: readonly ImageUse[];
}

export interface ImageInventory {
  /** Distinct references, sorted by code point. */
  readonly images: readonly ImageEntry[];
  /** Containers seen (a container's image counts once per container). */
  readonly containerCount: number;
  readonly pinnedCount: number;
  readonly unpinnedCount: number;
}

function roleOf(kind: ContainerKind, container: Record<string, unknown>): ImageUseRole {
  if (kind === 'ephemeralContainers') return 'ephemeral';
  if (kind === 'initContainers') return container.restartPolicy === 'Always' ? 'sidecar' : 'init';
  return 'container';
}

/** The text an image field is listed under: the string itself, or the JSON of whatever else the field holds. */
function imageText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return JSON.stringify(value);
}

/** imagePinning, except that an image field holding something other than a string (`image: 1.5`) is invalid, not missing. */
function pinningOf(value: unknown): ImagePinning {
  if (value !== undefined && value !== null && typeof value !== 'string') return { status: 'invalid' };
  return imagePinning(value);
}

/**
 * Every image the objects run: containers, init containers (and native sidecars) and ephemeral containers of every pod
 * spec the audit sees (podViewsOf: built-in workloads and pod specs in any kind), each distinct reference once with the containers that use it and whether it is pinned by digest (the same
 * reading as the image-digest rule: a reference is pinned only when a runtime would accept it and it carries a sha256
 * digest). The input for scanners (Trivy, Grype) and signers (Cosign).
 */
export function imageInventory(
  objects: readonly K8sObject[],
  sources?: ReadonlyMap<K8sObject, SourceLocation>,
): ImageInventory {
  const byImage = new Map<string, { pinning: ImagePinning; uses: ImageUse[] }>();
  let containerCount = 0;
  for (const object of objects) {
    const source = sources?.get(object);
    // The pods the audit judges: built-in workloads, and pod specs in any other kind (Argo Rollout, DeploymentConfig,
    // Knative Service, KEDA ScaledJob, ...); none in kinds that hold no pods (CRDs' schemas, ConfigMaps).
    for (const c of podViewsOf(object).flatMap(containersOf)) {
      containerCount++;
      const image = imageText(c.container.image);
      let entry = byImage.get(image);
      if (!entry) {
        entry = { pinning: pinningOf(c.container.image), uses: [] };
        byImage.set(image, entry);
      }
      entry.uses.push({
        object: objectRef(object),
        container: c.name,
        role: roleOf(c.kind, c.container),
        path: `${c.path}.image`,
        ...(source?.file !== undefined ? { file: source.file } : {}),
        ...(source?.line !== undefined ? { line: source.line } : {}),
      });
    }
  }
  const images: ImageEntry[] = [...byImage.keys()].sort(byCodePoint).map((image) => {
    const { pinning, uses } = byImage.get(image) as { pinning: ImagePinning; uses: ImageUse[] };
    const ref = 'ref' in pinning ? pinning.ref : undefined;
    return {
      image,
      pinned: pinning.status === 'pinned',
      status: pinning.status,
      ...(ref
        ? {
            registry: ref.registry,
            repository: ref.repository,
            ...(ref.tag !== undefined ? { tag: ref.tag } : {}),
            ...(ref.digest !== undefined ? { digest: ref.digest } : {}),
          }
        : {}),
      uses,
    };
  });
  const pinnedCount = images.filter((i) => i.pinned).length;
  return { images, containerCount, pinnedCount, unpinnedCount: images.length - pinnedCount };
}

const STATUS_TEXT: Readonly<Record<ImagePinStatus, string>> = {
  pinned: 'pinned',
  tagged: 'tag only',
  latest: ':latest',
  untagged: 'no tag',
  invalid: 'invalid',
  missing: 'missing',
};

/** Human-readable listing: one block per image (status, reference, then each container that runs it). */
export function formatImageInventoryText(inventory: ImageInventory): string {
  const lines: string[] = [];
  for (const entry of inventory.images) {
    lines.push(`${STATUS_TEXT[entry.status].padEnd(9)} ${entry.image === '' ? '(no image)' : entry.image}`);
    for (const use of entry.uses) {
      const where = use.file !== undefined ? ` (${use.file}${use.line !== undefined ? `:${use.line}` : ''})` : '';
      lines.push(`          ${formatObjectRef(use.object)} ${use.role} '${use.container}'${where}`);
    }
  }
  lines.push(
    `${inventory.images.length} images in ${inventory.containerCount} containers: ${inventory.pinnedCount} pinned by digest, ${inventory.unpinnedCount} not`,
  );
  return `${lines.join('\n')}\n`;
}

/** One reference per line, the distinct valid ones only: what `trivy image` or `cosign verify` loops over. */
export function formatImageInventoryList(inventory: ImageInventory): string {
  const refs = inventory.images.filter((i) => i.registry !== undefined).map((i) => i.image);
  return refs.length ? `${refs.join('\n')}\n` : '';
}

/** The inventory as JSON (stable key order, sorted images). */
export function formatImageInventoryJson(inventory: ImageInventory): string {
  return `${JSON.stringify(
    {
      images: inventory.images,
      summary: {
        images: inventory.images.length,
        containers: inventory.containerCount,
        pinned: inventory.pinnedCount,
        unpinned: inventory.unpinnedCount,
      },
    },
    null,
    2,
  )}\n`;
}
