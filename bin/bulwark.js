#!/usr/bin/env node
// The bulwark CLI. Installed from npm it runs the compiled JavaScript in build/ (no TypeScript loader at run time).
// In the repository, where the TypeScript sources in lib/ sit beside it, it runs them through tsx (a devDependency),
// so a developer never runs a stale build.
const fs = require('fs');
const path = require('path');

const source = path.join(__dirname, '..', 'lib', 'cli', 'main.ts');
let cli;
if (fs.existsSync(source)) {
  require('tsx/cjs');
  cli = require(source);
} else {
  cli = require('../build/cli/main.js');
}

cli.main(process.argv.slice(2), cli.processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`bulwark: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 2;
  },
);
