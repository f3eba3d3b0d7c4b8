import { isAbsolute, resolve } from 'node:path';
import type { SourceFile } from '../fix/run.js';
import type { K8sObject } from '../model/types.js';
import { DEFAULT_MAX_FILE_BYTES, InputError, readManifests, stdinText } from '../sources/files.js';
import { parseManifests } from '../sources/parse.js';
import { readRegularFile } from '../sources/read-file.js';
import { decodeUtf8 } from '../sources/utf8.js';
import { nothingFound, UsageError, type CliIO } from './io.js';

export interface FixInputs {
  sources: SourceFile[];
  /** Shown path → absolute path, for writing. */
  absolute: Map<string, string>;
  /** Files left alone because they could not be read whole (each said on stderr). */
  skipped: number;
}

/**
 * The texts `fix` works on. A file that cannot be read, is not a regular file or is not UTF-8 is
 * left alone with a line on stderr, and the others are fixed: a file is only ever rewritten from a
 * faithful copy of its text. Files are read whatever their size (fix has no --max-file-size); stdin
 * is read up to the default limit, and over it, or not UTF-8, is an error.
 */
export async function readFixInputs(
  inputs: readonly string[],
  stdinName: string,
  io: CliIO,
): Promise<FixInputs> {
  const out: FixInputs = { sources: [], absolute: new Map(), skipped: 0 };
  if (inputs.includes('-')) {
    const read = stdinText(await io.readStdin(DEFAULT_MAX_FILE_BYTES), stdinName);
    const p = read.problems[0];
    if (p) throw new UsageError(`${p.file}:${p.line}:${p.column}: ${p.message}`);
    out.sources.push({ file: stdinName, text: read.text ?? '' });
    return out;
  }
  const paths = inputs.map((p) => (isAbsolute(p) ? p : resolve(io.cwd, p)));
  try {
    for await (const f of readManifests(paths, { cwd: io.cwd, maxFileBytes: Infinity })) {
      if (f.problems.length > 0 || f.text === undefined) {
        for (const p of f.problems)
          io.stderr(`kubeha: ${p.file}:${p.line}:${p.column}: ${p.message}; not fixed\n`);
        out.skipped++;
        continue;
      }
      out.absolute.set(f.shown, f.path);
      out.sources.push({ file: f.shown, text: f.text });
    }
  } catch (e) {
    if (e instanceof InputError) throw new UsageError(e.message);
    throw e;
  }
  return out;
}

/** Throws when the input held nothing at all: no object, no file skipped, no document that failed to parse. */
export function refuseEmpty(
  inputs: readonly string[],
  read: FixInputs,
  objectsBefore: readonly K8sObject[],
  allowEmpty: boolean | undefined,
): void {
  if (allowEmpty || objectsBefore.length > 0 || read.skipped > 0) return;
  if (read.sources.some((s) => parseManifests(s.text, s.file).problems.length > 0)) return;
  throw nothingFound(inputs);
}

/**
 * The --pdb-file's text, or undefined when it does not exist yet (fix creates it). It is read as the
 * inputs are: a FIFO or a device named there is refused, never waited on; not UTF-8 is refused too.
 */
export async function readPdbFile(abs: string, shown: string): Promise<string | undefined> {
  const outcome = await readRegularFile(abs, Infinity);
  if ('error' in outcome) {
    if (outcome.error === 'no such file or directory') return undefined;
    throw new UsageError(`--pdb-file ${shown}: cannot read: ${outcome.error}`);
  }
  if ('notRegular' in outcome)
    throw new UsageError(`--pdb-file ${shown}: not a regular file (${outcome.notRegular})`);
  if (!('bytes' in outcome)) return undefined; // no limit: never too large
  const { text, invalid } = decodeUtf8(outcome.bytes);
  if (invalid) throw new UsageError(`--pdb-file ${shown}:${invalid.line}:${invalid.column}: invalid UTF-8`);
  return text;
}
