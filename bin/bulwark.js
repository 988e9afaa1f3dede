#!/usr/bin/env node
// The bulwark CLI. Sources are TypeScript; tsx compiles them on load (no build step to forget or go stale).
require('tsx/cjs');
const { main, processIo } = require('../lib/cli/main.ts');

main(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`bulwark: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 2;
  },
);
