import * as fs from 'fs';
import * as path from 'path';
import { networkGraphOf, NetworkGraph, openWorkloads } from '../graph/reachability';
import { renderGraphHtml } from '../graph/render-html';
import { renderMermaid } from '../graph/render-mermaid';
import { renderSvg } from '../graph/render-svg';
import { formatInputError, Manifests, readManifests, STDIN_NAME } from '../manifest/manifests';
import { CliIo, Command, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError } from './cli-io';
import { lastValue, oneOf, parseOptions } from './parse-options';

export type GraphFormat = 'mermaid' | 'svg' | 'html';
export const GRAPH_FORMATS: readonly GraphFormat[] = ['mermaid', 'svg', 'html'];

export const GRAPH_HELP = `usage: bulwark graph [options] <file|dir|->...

Computes from the NetworkPolicies, Namespaces and pod templates of the input which workloads can reach which
(ingress and egress, with ports) and draws it. Inputs are read as by 'bulwark audit': YAML or JSON files,
directories (recursively) and - for standard input.

  bulwark graph --format svg --output network.svg dist/
  helm template my-release ./chart | bulwark graph -

Semantics are the Kubernetes ones: policies add up; a pod no policy selects for a direction is open in that
direction; a connection needs the egress of the source and the ingress of the destination; named ports resolve
against the destination's container ports. Every namespace has the label kubernetes.io/metadata.name; a namespace
not in the input has only that label, and its pods, ipBlocks and unrestricted directions are drawn as nodes
outside the input.

A workload is open to all when no NetworkPolicy isolates its ingress, or an ingress rule admits any source (no
'from'), pods of any namespace (a namespaceSelector such as {}), or an ipBlock of prefix length 0 (0.0.0.0/0).

options:
  --format mermaid|svg|html   output format (default: mermaid); svg and html are self-contained
  --output <file>             write to this file instead of standard output
  -h, --help                  show this help

exit codes: 0 no workload open to all, 1 a workload is open to all (listed on standard error),
            2 usage or input errors (input errors win)
`;

export interface GraphArgs {
  readonly inputs: readonly string[];
  readonly format: GraphFormat;
  readonly output?: string;
  readonly help: boolean;
}

export function parseGraphArgs(argv: readonly string[]): GraphArgs {
  const { inputs, values, help } = parseOptions(argv, ['--format', '--output']);
  const format = oneOf('--format', lastValue(values, '--format') ?? 'mermaid', GRAPH_FORMATS);
  const output = lastValue(values, '--output');
  if (!help && inputs.length === 0) {
    throw new UsageError('no input: give files, directories or - for standard input (see --help)');
  }
  return { inputs, format, help, ...(output !== undefined ? { output } : {}) };
}

/** Reads the inputs as `bulwark audit` does; an input without any object is an input error, as there. */
export async function readInputs(inputs: readonly string[], io: CliIo): Promise<Manifests> {
  const manifests = await readManifests(inputs, { cwd: io.cwd, readStdin: io.readStdin });
  if (manifests.objects.length === 0 && manifests.errors.length === 0) {
    manifests.errors.push({
      file: inputs.map((i) => (i === '-' ? STDIN_NAME : i)).join(', '),
      message: 'no Kubernetes objects in the input: an empty input usually means the command that produced it failed',
    });
  }
  return manifests;
}

function writeProblem(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EISDIR') return 'it is a directory: give the path of a file to write';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied: choose a writable location';
  if (code === 'ENOTDIR') return 'a parent of it is a file, not a directory: choose another path';
  const message = (e as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : String(e);
}

/** Writes `text` to `output` (relative to the working directory), or to standard output when there is none or `-`. */
export function writeOutput(command: string, output: string | undefined, text: string, io: CliIo): boolean {
  if (output === undefined || output === '-') {
    io.stdout(text);
    return true;
  }
  try {
    const target = path.resolve(io.cwd, output);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
    return true;
  } catch (e) {
    io.stderr(`bulwark ${command}: --output: cannot write '${output}': ${writeProblem(e)}\n`);
    return false;
  }
}

export function renderGraph(graph: NetworkGraph, format: GraphFormat, files: readonly string[]): string {
  switch (format) {
    case 'mermaid':
      return renderMermaid(graph);
    case 'svg':
      return renderSvg(graph);
    case 'html':
      return renderGraphHtml(graph, files);
  }
}

/** One line per reason a workload is open to all. */
export function openToAllLines(command: string, graph: NetworkGraph): string[] {
  return openWorkloads(graph).flatMap((w) =>
    w.openToAll.map((r) => `bulwark ${command}: open to all: ${w.kind} ${w.namespace}/${w.name}: ${r}\n`),
  );
}

/**
 * `bulwark graph [options] <file|dir|->...`: the reachability graph of the input as Mermaid, SVG or HTML. Exit 0 when
 * no workload is open to all, 1 when one is (each listed on stderr with why), 2 on usage or input errors.
 */
export const graphCommand: Command = async (argv: readonly string[], io: CliIo): Promise<number> => {
  let args: GraphArgs;
  try {
    args = parseGraphArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`bulwark graph: ${e.message}\n`);
    return EXIT_USAGE;
  }
  if (args.help) {
    io.stdout(GRAPH_HELP);
    return EXIT_OK;
  }
  const manifests = await readInputs(args.inputs, io);
  for (const e of manifests.errors) io.stderr(`bulwark graph: ${formatInputError(e)}\n`);
  const graph = networkGraphOf(manifests.objects, manifests.sources);
  if (!writeOutput('graph', args.output, renderGraph(graph, args.format, manifests.files), io)) return EXIT_USAGE;
  const open = openToAllLines('graph', graph);
  for (const line of open) io.stderr(line);
  if (args.output !== undefined && args.output !== '-') {
    io.stderr(
      `bulwark graph: wrote the ${args.format} graph to ${args.output}: ${graph.workloads.length} workloads, ` +
        `${graph.connections.length} connections, ${openWorkloads(graph).length} open to all\n`,
    );
  }
  if (manifests.errors.length > 0) return EXIT_USAGE;
  return open.length > 0 ? EXIT_FINDINGS : EXIT_OK;
};
