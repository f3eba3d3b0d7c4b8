import { readStdin } from '../sources/files.js';
import { main } from './main.js';

// kubectl runs plugins as kubectl-ha with the words after "kubectl ha".
const code = await main(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  readStdin,
  cwd: process.cwd(),
  env: process.env,
  stdoutIsTTY: Boolean(process.stdout.isTTY),
});
process.exitCode = code;
