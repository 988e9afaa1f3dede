import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { BulwarkDefaults, setChartDefaults } from './chart-defaults';
import { propError } from './errors';
import { validateExemptions } from './construct-exemptions';
import { isDns1123Label, requireIntegerAtLeast } from './validators';
import { rejectUnknownProps } from './known-props';

export type { BulwarkDefaults } from './chart-defaults';

export interface BulwarkChartProps extends ChartProps {
  /** Settings every bulwark construct of the chart (and of charts inside it) starts from. @default none */
  readonly defaults?: BulwarkDefaults;
}

/**
 * A cdk8s Chart whose `defaults` apply to every bulwark construct inside it: the registries images may come from,
 * the pods' user, group and fsGroup, their PriorityClass, and exemptions a whole team shares (one reason written
 * once instead of on every workload). A construct's own prop always wins; exemptions add up.
 */
export class BulwarkChart extends Chart {
  public readonly defaults: BulwarkDefaults;

  constructor(scope: Construct, id: string, props: BulwarkChartProps = {}) {
    super(scope, id, props);
    rejectUnknownProps(this, props);
    const d = props.defaults ?? {};
    validateExemptions(this, d.exemptions);
    for (const prop of ['runAsUser', 'runAsGroup', 'fsGroup'] as const) {
      if (d[prop] !== undefined) {
        requireIntegerAtLeast(this, `defaults.${prop}`, d[prop], 1, 'use a non-root id ≥ 1, e.g. 10001', 2147483647);
      }
    }
    if (d.priorityClassName !== undefined && !isDns1123Label(d.priorityClassName)) {
      throw propError({
        scope: this,
        prop: 'defaults.priorityClassName',
        received: d.priorityClassName,
        allowed: 'the name of a PriorityClass (a DNS-1123 name)',
        fix: 'name an existing PriorityClass, e.g. "business-critical"',
      });
    }
    if (d.allowedRegistries !== undefined && !Array.isArray(d.allowedRegistries)) {
      throw propError({
        scope: this,
        prop: 'defaults.allowedRegistries',
        received: d.allowedRegistries,
        allowed: "a list of registries, e.g. ['ghcr.io/acme']",
        fix: 'list the registries images may come from',
      });
    }
    if (d.imagesLock !== undefined && (typeof d.imagesLock !== 'string' || d.imagesLock.trim() === '')) {
      throw propError({
        scope: this,
        prop: 'defaults.imagesLock',
        received: d.imagesLock,
        allowed: 'the path of an images lock file',
        fix: "give the path of the file 'bulwark pin' writes, e.g. 'bulwark.images.lock'",
      });
    }
    this.defaults = d;
    setChartDefaults(this, d);
  }
}
