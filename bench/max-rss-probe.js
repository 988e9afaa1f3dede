// Preloaded into every benchmarked process (node -r bench/max-rss-probe.js ...): at exit it writes the process's
// peak resident set size in kilobytes to file descriptor 3, a pipe the harness opens for it.
const fs = require('fs');

process.on('exit', () => {
  try {
    fs.writeSync(3, `${process.resourceUsage().maxRSS}\n`);
  } catch {
    // fd 3 is not open: the process was started outside the harness.
  }
});
