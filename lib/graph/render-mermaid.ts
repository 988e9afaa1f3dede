import { oneLine } from '../util/visible-text';
import { formatPorts } from './port-set';
import { NetworkGraph, OutsideNode, Workload } from './reachability';

/** Mermaid ids: letters, digits and `_`, unique within the diagram. */
class MermaidIds {
  private readonly used = new Set<string>();
  private readonly byKey = new Map<string, string>();

  id(key: string, prefix: string): string {
    const known = this.byKey.get(key);
    if (known) return known;
    const base = `${prefix}_${key
      .replace(/^outside:/, '')
      .replace(/[^A-Za-z0-9_]+/g, '_')
      .replace(/^_+|_+$/g, '')}`;
    let id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}_${n}`;
    this.used.add(id);
    this.byKey.set(key, id);
    return id;
  }
}

/**
 * Text inside a quoted Mermaid label: one line (line breaks made spaces, control characters escaped), `#` (which
 * starts Mermaid's entity codes), quotes and angle brackets as Mermaid entity codes.
 */
function text(value: string): string {
  return oneLine(value)
    .replace(/#/g, '#35;')
    .replace(/&/g, '#amp;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;');
}

function workloadLabel(w: Workload): string {
  const lines = [text(w.name), text(w.kind)];
  if (w.openToAll.length) lines.push('⚠ open to all');
  return lines.join('<br/>');
}

function outsideLabel(o: OutsideNode): string {
  return text(o.label);
}

/**
 * The graph as a Mermaid flowchart (left to right): one subgraph per namespace holding its workloads, outside nodes
 * (anywhere, ipBlocks, pods of namespaces not in the input) as stadium shapes, an edge per connection labelled with
 * its ports (dashed when one end is outside the input), workloads open to all in the `open` class.
 */
export function renderMermaid(graph: NetworkGraph): string {
  const ids = new MermaidIds();
  const lines = ['flowchart LR'];
  const byNamespace = new Map<string, Workload[]>();
  for (const w of graph.workloads) byNamespace.set(w.namespace, [...(byNamespace.get(w.namespace) ?? []), w]);
  for (const [ns, workloads] of byNamespace) {
    lines.push(`  subgraph ${ids.id(ns, 'ns')}["namespace ${text(ns)}"]`);
    for (const w of workloads) lines.push(`    ${ids.id(w.id, 'w')}["${workloadLabel(w)}"]`);
    lines.push('  end');
  }
  for (const o of graph.outside) lines.push(`  ${ids.id(o.id, 'x')}(["${outsideLabel(o)}"])`);
  const nodeId = (id: string) => (id.startsWith('outside:') ? ids.id(id, 'x') : ids.id(id, 'w'));
  for (const c of graph.connections) {
    const arrow = c.outside ? '-.->' : '-->';
    lines.push(`  ${nodeId(c.from)} ${arrow}|"${text(formatPorts(c.ports))}"| ${nodeId(c.to)}`);
  }
  lines.push('  classDef open fill:#fdecea,stroke:#c62828,stroke-width:2px,color:#7f1d1d');
  lines.push('  classDef outside fill:#f4f4f5,stroke:#71717a,stroke-dasharray:4 3');
  const open = graph.workloads.filter((w) => w.openToAll.length).map((w) => nodeId(w.id));
  if (open.length) lines.push(`  class ${open.join(',')} open`);
  if (graph.outside.length) lines.push(`  class ${graph.outside.map((o) => nodeId(o.id)).join(',')} outside`);
  return `${lines.join('\n')}\n`;
}
