import { join } from 'node:path';
import { main } from '../../src/cli/main.js';

export const ROOT = join(import.meta.dirname, '..', '..');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output, as a user would from `cwd`. */
export async function run(
  args: string[],
  opts: { cwd?: string; stdin?: string; env?: Record<string, string>; stderrIsTTY?: boolean } = {},
): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    readStdin: async () => opts.stdin ?? '',
    cwd: opts.cwd ?? ROOT,
    env: { NO_COLOR: '1', ...opts.env },
    stdoutIsTTY: false,
    stderrIsTTY: opts.stderrIsTTY ?? false,
  });
  return { code, stdout, stderr };
}
