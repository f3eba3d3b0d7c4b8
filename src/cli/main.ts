import { Command, CommanderError, Option } from 'commander';
import { FAIL_ON } from './analysis-flags.js';
import { registerFix } from './fix.js';
import { runCheck, type CheckFlags } from './check.js';
import { collect, EXIT_USAGE, UsageError, type CliIO } from './io.js';
import { VERSION } from './package-info.js';
import { runExplain, runRules } from './rules.js';
import { registerScan } from './scan.js';
import { registerServe } from './serve.js';
import { registerChaos } from './chaos.js';
import { registerSimulate } from './simulate.js';
import { OUTPUT_FORMATS } from '../report/index.js';
import { DEFAULT_ZONES } from '../model/defaults.js';

/** Builds the CLI. Each command stores its exit code; nothing here touches the process. */
export function buildProgram(io: CliIO, setExit: (code: number) => void): Command {
  const program = new Command('kubeha')
    .description('Make applications on Kubernetes highly available, and prove it.')
    .version(VERSION, '-V, --version')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .showSuggestionAfterError(true);

  program
    .command('check')
    .description('check manifests against the HA rule catalog')
    .argument('[paths...]', 'files and folders of YAML or JSON manifests (- for stdin)')
    .option('-f, --filename <path>', 'a manifest file or folder; - reads stdin (repeatable)', collect)
    .addOption(new Option('-o, --output <format>', 'output format').choices(OUTPUT_FORMATS).default('text'))
    .addOption(
      new Option(
        '--fail-on <severity>',
        'exit 1 when a finding is at or above this severity (default: error)',
      ).choices(FAIL_ON),
    )
    .option('-c, --config <file>', 'config file (default: .kubeha.yaml in the working folder)')
    .option('--kube-version <version>', 'target Kubernetes version for API deprecations, e.g. 1.31')
    .option('-n, --namespace <namespace>', 'namespace of objects that name none (default: default)')
    .option('--zones <count>', `zones the cluster spreads over (default: ${DEFAULT_ZONES})`)
    .option('--rule <id>', 'run only these rules (repeatable, or comma-separated)', collect)
    .option('--disable-rule <id>', 'skip these rules (repeatable, or comma-separated)', collect)
    .option('--max-file-size <size>', 'skip larger files with a finding (default: 16MiB)')
    .option('--allow-empty', 'no Kubernetes object in the input is a success, not an error (exit 2)')
    .option('--color', 'force colour')
    .option('--no-color', 'no colour (NO_COLOR is honoured too)')
    .action(async (paths: string[], flags: CheckFlags) => setExit(await runCheck(paths, flags, io)));

  program
    .command('rules')
    .description('list the rule catalog')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--color', 'force colour')
    .option('--no-color', 'no colour')
    .action((flags: { output?: string; color?: boolean }) => setExit(runRules(flags, io)));

  program
    .command('explain')
    .description("show one rule's rationale, examples and fix")
    .argument('<rule>', 'rule id, e.g. single-replica')
    .option('--color', 'force colour')
    .option('--no-color', 'no colour')
    .action(async (id: string, flags: { color?: boolean }) => setExit(await runExplain(id, flags, io)));

  registerScan(program, io, setExit);
  registerSimulate(program, io, setExit);
  registerFix(program, io, setExit);
  registerServe(program, io, setExit);
  registerChaos(program, io, setExit);
  return program;
}

/** Runs the CLI; returns the exit code. Errors become one line on stderr, never a stack trace. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => (code = c));
  try {
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
