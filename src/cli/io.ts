/** What a command may touch of the process: passed in so commands run in-process under test. */
export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /**
   * Stdin, read up to `maxBytes` and one byte more at most (more than `maxBytes` means reading
   * stopped at the limit). Bytes are decoded by the loader, which reports invalid UTF-8.
   */
  readStdin: (maxBytes: number) => Promise<string | Uint8Array>;
  cwd: string;
  env: Record<string, string | undefined>;
  stdoutIsTTY: boolean;
  /** The terminal's width in columns, when stdout is one (the text report wraps to it). */
  stdoutColumns?: number;
  /** A terminal on stderr gets progress lines (scan). */
  stderrIsTTY?: boolean;
  /** Resolves with the signal's name when the process is asked to stop (serve runs until then). */
  untilStopped?: () => Promise<string>;
}

/** A usage or input problem: one line on stderr and exit code 2. */
export class UsageError extends Error {}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export function useColor(io: CliIO, flag: boolean | undefined): boolean {
  if (flag !== undefined) return flag;
  if (io.env['NO_COLOR'] !== undefined && io.env['NO_COLOR'] !== '') return false;
  if (io.env['FORCE_COLOR'] !== undefined && io.env['FORCE_COLOR'] !== '0') return true;
  return io.stdoutIsTTY;
}

/**
 * How the text report lays findings out: the terminal's width when stdout is one (otherwise the
 * report's default, so a file, a pipe or a CI log gets the same bytes whatever terminal ran the
 * command), and --compact.
 */
export function textLayout(io: CliIO, flags: { compact?: boolean }): { width?: number; compact?: boolean } {
  const columns = io.stdoutIsTTY ? (io.stdoutColumns ?? 0) : 0;
  return { ...(columns > 0 ? { width: columns } : {}), ...(flags.compact ? { compact: true } : {}) };
}

/** commander's parser for repeatable, comma-separated options (`--rule a,b --rule c`). */
export const collect = (value: string, previous: string[] = []): string[] => [
  ...previous,
  ...value.split(','),
];

/** A whole-number flag value no smaller than `min`; anything else is a UsageError. */
export function wholeNumber(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`${flag} must be a whole number ≥ ${min} (got "${value}")`);
  return n;
}

/** "10s", "5m", "1h", "250ms" or "0" (off) in milliseconds. */
export function duration(flag: string, value: string): number {
  const m = /^(\d+)(ms|s|m|h)?$/.exec(value.trim());
  if (!m) throw new UsageError(`${flag} must be a duration like 30s, 5m or 1h (got "${value}")`);
  const n = Number(m[1]);
  const unit = m[2] ?? (n === 0 ? 's' : undefined);
  if (unit === undefined) throw new UsageError(`${flag} needs a unit: 30s, 5m or 1h (got "${value}")`);
  return n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit as 'ms' | 's' | 'm' | 'h'];
}

/**
 * Nothing found at all (an empty folder, empty or closed stdin, a template that rendered nothing)
 * is an error: a check that checked nothing must not pass as a clean one. --allow-empty accepts it.
 */
export function nothingFound(inputs: readonly string[]): UsageError {
  const named = inputs.map((p) => (p === '-' ? 'stdin' : p));
  const where = named.length > 3 ? `${named.slice(0, 3).join(', ')}, …` : named.join(', ');
  return new UsageError(
    `no Kubernetes objects found in ${where}: nothing to analyse (--allow-empty accepts an empty input)`,
  );
}
