import type { Volume, VolumeMount } from 'kubernetes-types/core/v1';

/**
 * The volumes of one pod, shared by all its containers: each gets a name unique in the pod (a second `rw-tmp`
 * becomes `rw-tmp-2`), so containers declaring the same path never share, or clash on, a volume.
 */
export class PodVolumes {
  private readonly volumes: Volume[] = [];
  private readonly names = new Set<string>();

  /** Adds a volume named after `base` (made unique) and returns the name. */
  public add(base: string, source: Omit<Volume, 'name'>): string {
    let name = base;
    for (let n = 2; this.names.has(name); n++) name = `${base.slice(0, 60 - String(n).length)}-${n}`;
    this.names.add(name);
    this.volumes.push({ name, ...source });
    return name;
  }

  /** Adds a volume with a fixed name (bulwark's own, e.g. the projected API token), once. */
  public addFixed(volume: Volume): void {
    if (this.names.has(volume.name)) return;
    this.names.add(volume.name);
    this.volumes.push(volume);
  }

  /** How many volumes the pod has so far. */
  public get size(): number {
    return this.volumes.length;
  }

  public list(): Volume[] {
    return [...this.volumes];
  }
}

/** The mounts of one container. */
export type Mounts = VolumeMount[];
