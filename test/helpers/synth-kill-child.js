// A real `bulwark synth` process for the kill-at-random test: loads the CLI, cdk8s, bulwark and the app first, says
// `ready`, then on a line of standard input runs `bulwark synth <args>` (the JSON array read) in its working folder.
// The test kills it at a random moment of that run. Loading ahead only keeps the test fast; the run is the CLI's own.
require('tsx/cjs');
const path = require('path');
const { main, processIo } = require('../../lib/cli/main.ts');
require('cdk8s');
require(path.join(process.cwd(), 'stacks', 'main.ts'));
process.stdout.write('ready\n');
process.stdin.once('data', (line) => {
  main(['synth', ...JSON.parse(String(line))], processIo()).then((code) => process.exit(code));
});
