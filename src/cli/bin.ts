import { readStdin } from '../sources/files.js';
import { main } from './main.js';

// kubectl runs plugins as kubectl-ha with the words after "kubectl ha". No top-level await: the
// shipped command is this file bundled as a CommonJS function (scripts/bundle.mjs), and `done`
// lets the build's code-cache warm-up wait for a run to finish.
export const done: Promise<void> = main(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  readStdin,
  cwd: process.cwd(),
  env: process.env,
  stdoutIsTTY: Boolean(process.stdout.isTTY),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  untilStopped: () =>
    new Promise((resolve) => {
      for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => resolve(signal));
    }),
}).then((code) => {
  process.exitCode = code;
});
