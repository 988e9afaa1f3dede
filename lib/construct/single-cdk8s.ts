import { Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';

/**
 * cdk8s and constructs are peer dependencies of bulwark: an app and bulwark must share one copy of each. With two
 * copies (a linked checkout with its own node_modules, a version npm could not dedupe) the app's objects and
 * bulwark's come from different classes and cdk8s fails late and obscurely ("can't render non-simple object of type
 * 'Lazy'"). Every bulwark construct checks its scope first and names the two copies and the fix instead.
 */
export class DuplicateCdk8sError extends Error {
  constructor(
    readonly packageName: 'cdk8s' | 'constructs',
    readonly appCopy: string,
    readonly bulwarkCopy: string,
    scopePath: string,
  ) {
    super(
      `two copies of ${packageName} are loaded: the app's chart '${scopePath}' comes from ${appCopy}, bulwark's ` +
        `constructs from ${bulwarkCopy}. cdk8s cannot synthesize objects of one copy in an app of the other. Fix: ` +
        `keep one copy in the tree (${packageName} is a peer dependency of bulwark): run \`npm ls ${packageName}\` to ` +
        'see both, `npm dedupe` to merge them, and install bulwark from the registry or a packed tarball rather ' +
        'than a linked folder that has its own node_modules.',
    );
    this.name = 'DuplicateCdk8sError';
  }
}

/** The loaded module file of `pkg` whose export `name` is `ctor` or an ancestor of it, if any. */
function copyDefining(pkg: string, name: string, ctor: unknown): string | undefined {
  const marker = `/node_modules/${pkg}/`;
  for (const [file, mod] of Object.entries(require.cache)) {
    if (!file.replace(/\\/g, '/').includes(marker)) continue;
    const exported = (mod?.exports as Record<string, unknown> | undefined)?.[name];
    if (typeof exported !== 'function') continue;
    for (let p: unknown = ctor; typeof p === 'function'; p = Object.getPrototypeOf(p)) {
      if (p === exported) return packageRoot(file, pkg);
    }
  }
  return undefined;
}

function packageRoot(file: string, pkg: string): string {
  const unix = file.replace(/\\/g, '/');
  const at = unix.lastIndexOf(`/node_modules/${pkg}/`);
  return at < 0 ? file : file.slice(0, at + `/node_modules/${pkg}`.length);
}

function bulwarkCopyOf(pkg: string): string {
  const main = require.resolve(pkg);
  return packageRoot(main, pkg);
}

/**
 * Throws DuplicateCdk8sError when the chart of `scope` belongs to another copy of constructs or cdk8s than the one
 * bulwark loads. Both packages answer `instanceof` by a global symbol, true across copies, so the check follows the
 * prototype chain instead: two lookups on the normal path; the loaded modules are searched only to name the copies.
 */
export function assertSingleCdk8s(scope: IConstruct): void {
  const chart = Chart.of(scope);
  if (!Object.prototype.isPrototypeOf.call(Construct.prototype, chart)) {
    const app = copyDefining('constructs', 'Construct', chart.constructor) ?? 'another copy';
    throw new DuplicateCdk8sError('constructs', app, bulwarkCopyOf('constructs'), chart.node.path);
  }
  if (!Object.prototype.isPrototypeOf.call(Chart.prototype, chart)) {
    const app = copyDefining('cdk8s', 'Chart', chart.constructor) ?? 'another copy';
    throw new DuplicateCdk8sError('cdk8s', app, bulwarkCopyOf('cdk8s'), chart.node.path);
  }
}
