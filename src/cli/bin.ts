import { main } from './main.js';

// Node's own warnings (a deprecated module inside a dependency, a listener count) are about kubeha's
// code, not the user's input or cluster: they are kept off the user's terminal and CI logs, and shown
// with KUBEHA_DEBUG=1 for whoever works on kubeha.
process.removeAllListeners('warning');
if (process.env['KUBEHA_DEBUG']) {
  process.on('warning', (w) => process.stderr.write(`kubeha: debug: ${w.name}: ${w.message}\n`));
}

// A reader that stops early (`kubeha rules | head -1`) closes the pipe: the next write fails with
// EPIPE. That is the reader's choice, not an error: later writes go nowhere and the command runs to
// its end (a `fix --write` under way still finishes its files), quietly. Any other failure to write
// is one line, not a stack trace.
const closed = new Set<NodeJS.WriteStream>();
let writeFailed = false;
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    closed.add(stream);
    if (e.code === 'EPIPE') return;
    if (stream === process.stdout && !closed.has(process.stderr))
      process.stderr.write(`kubeha: cannot write the output: ${e.message.split('\n')[0]}\n`);
    writeFailed = true;
  });
}
const write =
  (stream: NodeJS.WriteStream) =>
  (s: string): void => {
    if (!closed.has(stream)) stream.write(s);
  };

// A promise that rejects with nobody listening is a bug in kubeha; Node's default would print a
// stack trace. It is said in one line, as main() says any other internal error, and the run fails.
process.on('unhandledRejection', (e) => {
  const message = e instanceof Error ? e.message : String(e);
  if (!closed.has(process.stderr))
    process.stderr.write(`kubeha: internal error: ${message.split('\n')[0]} (please report it)\n`);
  process.exit(2);
});

// kubectl runs plugins as kubectl-ha with the words after "kubectl ha". No top-level await: the
// shipped command is this file bundled as a CommonJS function (scripts/bundle.mjs), and `done`
// lets the build's code-cache warm-up wait for a run to finish.
export const done: Promise<void> = main(process.argv.slice(2), {
  stdout: write(process.stdout),
  stderr: write(process.stderr),
  // The loader (and with it the YAML parser) is loaded by the command that reads, not at start-up.
  readStdin: async (maxBytes) => (await import('../sources/files.js')).readStdin(maxBytes),
  cwd: process.cwd(),
  env: process.env,
  stdoutIsTTY: Boolean(process.stdout.isTTY),
  ...(process.stdout.columns ? { stdoutColumns: process.stdout.columns } : {}),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  untilStopped: () =>
    new Promise((resolve) => {
      for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => resolve(signal));
    }),
}).then((code) => {
  process.exitCode = writeFailed ? 2 : code;
});
