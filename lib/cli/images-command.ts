import { formatInputError } from '../manifest/manifests';
import {
  formatImageInventoryJson,
  formatImageInventoryList,
  formatImageInventoryText,
  imageInventory,
  ImageInventory,
} from '../report/image-inventory';
import { CliIo, Command, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError } from './cli-io';
import { readInputs, writeOutput } from './graph-command';
import { lastValue, oneOf, parseOptions } from './parse-options';

export type ImagesFormat = 'text' | 'json' | 'list';
export const IMAGES_FORMATS: readonly ImagesFormat[] = ['text', 'json', 'list'];

export const IMAGES_HELP = `usage: bulwark images [options] <file|dir|->...

Lists every image the manifests run: containers, init containers, native sidecars (init containers with
restartPolicy: Always) and ephemeral containers of every pod template (Pod, Deployment, StatefulSet, DaemonSet,
ReplicaSet, ReplicationController, Job, CronJob, PodTemplate), each distinct reference once with the containers
that run it and whether it is pinned by sha256 digest (as the image-digest rule reads it). Inputs are read as by
'bulwark audit'.

  bulwark images dist/
  helm template my-release ./chart | bulwark images --format list - | xargs -n1 trivy image
  bulwark images --format json --output images.json dist/

options:
  --format text|json|list   text (default), json (every image with registry, repository, tag, digest and its
                            uses), or list (one valid reference per line, for scanners and signers)
  --require-digest          exit 1 when an image is not pinned by digest (each one named on standard error)
  --output <file>           write to this file instead of standard output
  -h, --help                show this help

exit codes: 0 listed, 1 --require-digest and an image is not pinned, 2 usage or input errors (input errors win)
`;

export interface ImagesArgs {
  readonly inputs: readonly string[];
  readonly format: ImagesFormat;
  readonly requireDigest: boolean;
  readonly output?: string;
  readonly help: boolean;
}

export function parseImagesArgs(argv: readonly string[]): ImagesArgs {
  // A flag without a value: taken out before the shared option parser (which knows only options with values), and
  // only ahead of `--`, after which everything is an input.
  const end = argv.indexOf('--') === -1 ? argv.length : argv.indexOf('--');
  const flags = argv.slice(0, end).filter((a) => a === '--require-digest');
  const rest = [...argv.slice(0, end).filter((a) => a !== '--require-digest'), ...argv.slice(end)];
  const { inputs, values, help } = parseOptions(rest, ['--format', '--output']);
  const format = oneOf('--format', lastValue(values, '--format') ?? 'text', IMAGES_FORMATS);
  const output = lastValue(values, '--output');
  if (!help && inputs.length === 0) {
    throw new UsageError('no input: give files, directories or - for standard input (see --help)');
  }
  return { inputs, format, requireDigest: flags.length > 0, help, ...(output !== undefined ? { output } : {}) };
}

function render(format: ImagesFormat, inventory: ImageInventory): string {
  switch (format) {
    case 'json':
      return formatImageInventoryJson(inventory);
    case 'list':
      return formatImageInventoryList(inventory);
    case 'text':
      return formatImageInventoryText(inventory);
  }
}

/**
 * `bulwark images [options] <file|dir|->...`: every image the input runs, pinned by digest or not. Exit 0, 1 when
 * --require-digest and an image is unpinned, 2 on usage or input errors.
 */
export const imagesCommand: Command = async (argv: readonly string[], io: CliIo): Promise<number> => {
  let args: ImagesArgs;
  try {
    args = parseImagesArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`bulwark images: ${e.message}\n`);
    return EXIT_USAGE;
  }
  if (args.help) {
    io.stdout(IMAGES_HELP);
    return EXIT_OK;
  }
  const manifests = await readInputs(args.inputs, io);
  for (const e of manifests.errors) io.stderr(`bulwark images: ${formatInputError(e)}\n`);
  const inventory = imageInventory(manifests.objects, manifests.sources);
  if (args.format === 'list') {
    for (const entry of inventory.images.filter((i) => i.registry === undefined)) {
      const use = entry.uses[0];
      io.stderr(
        `bulwark images: left out of the list: ${entry.image === '' ? 'a container with no image' : `'${entry.image}', not a valid image reference`} (${use.object.kind} ${use.object.namespace ? `${use.object.namespace}/` : ''}${use.object.name}, ${use.path})\n`,
      );
    }
  }
  if (!writeOutput('images', args.output, render(args.format, inventory), io)) return EXIT_USAGE;
  if (manifests.errors.length > 0) return EXIT_USAGE;
  if (!args.requireDigest) return EXIT_OK;
  const unpinned = inventory.images.filter((i) => !i.pinned);
  for (const entry of unpinned) {
    io.stderr(
      `bulwark images: not pinned by digest: ${entry.image === '' ? '(no image)' : `'${entry.image}'`} (${entry.status}), run by ${entry.uses.length} container(s); pin it as registry/repo:tag@sha256:<digest>\n`,
    );
  }
  return unpinned.length > 0 ? EXIT_FINDINGS : EXIT_OK;
};
