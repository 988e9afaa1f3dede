import { celString } from '../../admission/cel-literal';
import { defineCelTranslation } from '../../admission/cel-translation';
import { LIMIT_CEILING } from './check';

/** lib/k8s/quantity.ts's grammar (the Kubernetes quantity grammar). */
const QUANTITY_PATTERN =
  '^[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$';
const value = (section: string, r: string) => `c.?resources[?${section}][?${r}].orValue('')`;
const valid = (q: string) => `(${q}.matches(${celString(QUANTITY_PATTERN)}) && quantity(${q}).sign() >= 0)`;
/** A limit that bounds something: above 0 and at most the ceiling (the check's unboundedLimitProblem). */
const bounded = (r: 'cpu' | 'memory') =>
  `quantity(${value("'limits'", celString(r))}).sign() > 0 && ` +
  `!quantity(${value("'limits'", celString(r))}).isGreaterThan(quantity(${celString(String(LIMIT_CEILING[r].value))}))`;
/**
 * Every cpu and memory request and limit is set to a valid, non-negative quantity, no limit is below its request
 * (compared with the Kubernetes quantity library, exactly), and every limit bounds something (above 0, at most a node).
 */
const OK =
  `['requests', 'limits'].all(s, ['cpu', 'memory'].all(r, ${valid(value('s', 'r'))})) && ` +
  `['cpu', 'memory'].all(r, !quantity(${value("'limits'", 'r')}).isLessThan(quantity(${value("'requests'", 'r')}))) && ` +
  `${bounded('cpu')} && ${bounded('memory')}`;
/** Ephemeral containers may not set resources (the API server refuses them). */
const CONTAINERS = 'variables.podSpec.?containers.orValue([]) + variables.podSpec.?initContainers.orValue([])';

/** workload-resources: cpu and memory requests and limits on every container and init container. */
export const workloadResourcesCel = defineCelTranslation({
  ruleId: 'workload-resources',
  translate: () => [
    {
      expression: `(${CONTAINERS}).all(c, ${OK})`,
      detail: `'container ' + (${CONTAINERS}).filter(c, !(${OK})).map(c, "'" + c.?name.orValue('') + "'").join(', ') + ' must set resources.requests and resources.limits for cpu and memory as valid quantities, each limit at least its request, above 0 and no larger than a node'`,
    },
  ],
});
