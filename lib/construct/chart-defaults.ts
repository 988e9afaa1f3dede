import { IConstruct } from 'constructs';
import type { Exemption } from '../policy/exemption-annotations';

/** What a BulwarkChart sets for every bulwark construct inside it; a construct's own prop wins. */
export interface BulwarkDefaults {
  /** Registries images may come from. @default any registry */
  readonly allowedRegistries?: readonly string[];
  /** Non-root user id of every container. @default 10001 */
  readonly runAsUser?: number;
  /** Group id of every container. @default 10001 */
  readonly runAsGroup?: number;
  /** Group owning mounted volumes. @default 10001 */
  readonly fsGroup?: number;
  /**
   * The images lock (`bulwark pin` writes it) whose digests pin tagged images, a path relative to the current
   * directory. @default $BULWARK_IMAGES_LOCK, else `bulwark.images.lock` in the current directory
   */
  readonly imagesLock?: string;
  /** PriorityClass of every pod. @default none */
  readonly priorityClassName?: string;
  /**
   * Exemptions every construct of the chart requests, each with its reason (written on every object, as a
   * construct's own). A construct's own exemption from the same rule keeps its reason. @default none
   */
  readonly exemptions?: readonly Exemption[];
}

const DEFAULTS = Symbol.for('bulwark.chartDefaults');

/** @internal Records the defaults of a chart (BulwarkChart calls it). */
export function setChartDefaults(chart: IConstruct, defaults: BulwarkDefaults): void {
  Object.defineProperty(chart, DEFAULTS, { value: defaults, enumerable: false });
}

/** The defaults that apply at `scope`: those of every enclosing BulwarkChart, the innermost winning. */
export function chartDefaultsOf(scope: IConstruct): BulwarkDefaults {
  let out: BulwarkDefaults = {};
  for (const s of scope.node.scopes) {
    const d = (s as unknown as Record<symbol, BulwarkDefaults | undefined>)[DEFAULTS];
    if (!d || s === scope) continue;
    out = {
      ...out,
      ...Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined)),
      exemptions: [...(out.exemptions ?? []), ...(d.exemptions ?? [])],
    };
  }
  return out;
}
