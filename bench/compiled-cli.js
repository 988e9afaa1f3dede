// Runs the compiled CLI in build/ (`npm run build`): what users run once bulwark is installed from npm. In the
// repository bin/bulwark.js runs the TypeScript sources through tsx instead, so benchmarks of what users run start
// this file. Same exit codes and output as bin/bulwark.js. BULWARK_BUILD_DIR names another build to run (e.g. one of
// the commit before a change, for a before/after comparison in one benchmark run).
const path = require('path');

const cli = require(
  path.resolve(process.env.BULWARK_BUILD_DIR || path.join(__dirname, '..', 'build'), 'cli', 'main.js'),
);

cli.main(process.argv.slice(2), cli.processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`bulwark: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 2;
  },
);
