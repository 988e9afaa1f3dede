// The import-direction lint (`npm run lint` runs `npm run lint:deps`): lib/'s folders are layers, and an import may
// only point into its own layer or a lower one, with no cycle between folders. `npm run deps:graph` prints the
// folder-level import graph it checks. test/lint/import-direction.test.ts proves wrong imports are caught.

/** lib/'s top-level folders, bottom up. Folders in one entry form one layer: they may import each other, without cycles. */
const LAYERS = [
  ['util'], // generic helpers: they import nothing else of lib/
  ['k8s'], // the Kubernetes object model
  ['manifest'], // reading and writing manifests
  ['policy'], // the engine, the rule catalog and its folders, PSS, the admission generator
  ['construct'], // what every construct shares: errors, validators, exemptions, synth-time validation
  ['workloads', 'namespaces', 'identity', 'network', 'exposure', 'secrets', 'admission'], // the cdk8s constructs
  ['cluster'], // the Pulumi components
  ['graph', 'report', 'docs'],
  ['cli', 'entry'], // the command line and the package's entry points (bulwark/cluster, bulwark/eks, ...)
];

const FOLDERS = LAYERS.flat();
const alt = (names) => names.join('|');
const order = LAYERS.map((layer) => layer.join('/')).join(' < ');
// A rule's test lives in its folder (lib/policy/rules/<id>/<id>.test.ts) and may use test/helpers; it is no layer.
const TEST = '\\.test\\.ts$';

const layerRules = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `layer-${layer.length === 1 ? layer[0] : `${layer[0]}-and-siblings`}`,
  comment: `lib/${layer.length === 1 ? layer[0] : `{${layer.join(',')}}`} imports from a higher layer; the order is ${order}`,
  severity: 'error',
  from: { path: `^lib/(${alt(layer)})/`, pathNot: TEST },
  to: { path: `^lib/(${alt(LAYERS.slice(i + 1).flat())})/` },
}));

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'folder-in-no-layer',
      comment: 'every folder of lib/ belongs to a layer: add it to LAYERS in .dependency-cruiser.cjs',
      severity: 'error',
      from: { path: '^lib/[^/]+/', pathNot: `^lib/(${alt(FOLDERS)})/` },
      to: {},
    },
    {
      name: 'folder-in-no-layer',
      comment: 'every folder of lib/ belongs to a layer: add it to LAYERS in .dependency-cruiser.cjs',
      severity: 'error',
      from: {},
      to: { path: '^lib/[^/]+/', pathNot: `^lib/(${alt(FOLDERS)})/` },
    },
    {
      name: 'no-cycle-between-folders',
      comment: 'two folders of lib/ import each other (directly or through others): the folder graph must be acyclic',
      severity: 'error',
      scope: 'folder',
      from: { path: '^lib/([^/]+)' },
      // Only edges that leave a top-level folder: a folder and its own sub-folders (lib/policy and lib/policy/rules/<id>)
      // may refer to each other.
      to: { path: '^lib/(?!$1(/|$))', circular: true },
    },
    {
      name: 'not-from-the-public-barrel',
      comment: 'lib/index.ts is the public surface for users; code in lib/ imports the module it needs',
      severity: 'error',
      from: { path: '^lib/.+/' },
      to: { path: '^lib/index\\.ts$' },
    },
    {
      name: 'library-not-from-tests-or-tools',
      comment: 'lib/ is the shipped library: it imports nothing from test/, bench/, scripts/ or stacks/',
      severity: 'error',
      from: { path: '^lib/', pathNot: TEST },
      to: { path: '^(test|bench|scripts|stacks)/' },
    },
  ],
  options: {
    includeOnly: '^(lib|test|bench|scripts|stacks)/',
    // `import type` counts: a type from a higher layer ties the layers together as much as a value does.
    tsPreCompilationDeps: true,
    exclude: { path: '(^|/)fixtures/' },
  },
};
