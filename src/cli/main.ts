import { Command, CommanderError } from 'commander';
import { EXIT_USAGE, UsageError, type CliIO } from './io.js';
import { VERSION } from './package-info.js';

/** Adds one command to the program; its action stores the exit code with `setExit`. */
type Register = (program: Command, io: CliIO, setExit: (code: number) => void) => void;

/**
 * The commands, in the order help lists them, each with the module that defines it. A module is
 * loaded only when its command is the one run: `kubeha check` never loads the simulator's worker
 * threads, the cluster client's child processes or the fix engine, and `kubeha --version` loads
 * none of them (start-up, issue 15: docs/benchmarks.md).
 */
const COMMANDS: readonly (readonly [name: string, load: () => Promise<Register>])[] = [
  ['check', async () => (await import('./check.js')).registerCheck],
  ['rules', async () => (await import('./rules.js')).registerRules],
  ['explain', async () => (await import('./rules.js')).registerExplain],
  ['scan', async () => (await import('./scan.js')).registerScan],
  ['simulate', async () => (await import('./simulate.js')).registerSimulate],
  ['fix', async () => (await import('./fix.js')).registerFix],
  ['serve', async () => (await import('./serve.js')).registerServe],
  ['chaos', async () => (await import('./chaos.js')).registerChaos],
  ['rightsize', async () => (await import('./rightsize.js')).registerRightsize],
];

/**
 * The commands `argv` needs: none for the version (commander prints it before looking at any
 * command), the one named first, or all of them (help, a misspelt command and its suggestion).
 */
function commandsFor(argv: readonly string[]): readonly (typeof COMMANDS)[number][] {
  const first = argv[0];
  if (first === '-V' || first === '--version') return [];
  const named = COMMANDS.filter(([name]) => name === first);
  return named.length > 0 ? named : COMMANDS;
}

/**
 * Builds the CLI with the commands `argv` runs (all of them when none is given). Each command stores
 * its exit code; nothing here touches the process.
 */
export async function buildProgram(
  io: CliIO,
  setExit: (code: number) => void,
  argv?: readonly string[],
): Promise<Command> {
  const program = new Command('kubeha')
    .description('Make applications on Kubernetes highly available, and prove it.')
    .version(VERSION, '-V, --version')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .showSuggestionAfterError(true);
  const registers = await Promise.all((argv ? commandsFor(argv) : COMMANDS).map(([, load]) => load()));
  for (const register of registers) register(program, io, setExit);
  return program;
}

/** Runs the CLI; returns the exit code. Errors become one line on stderr, never a stack trace. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  let code = 0;
  try {
    const program = await buildProgram(io, (c) => (code = c), argv);
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0)
        return 0;
      if (e.code === 'commander.help' || e.code === 'commander.executeSubCommandAsync') return 0;
      return EXIT_USAGE; // commander already printed its one-line message
    }
    if (e instanceof UsageError) {
      io.stderr(`kubeha: ${e.message}\n`);
      return EXIT_USAGE;
    }
    const message = e instanceof Error ? e.message : String(e);
    io.stderr(`kubeha: internal error: ${message.split('\n')[0]} (please report it)\n`);
    return EXIT_USAGE;
  }
}
