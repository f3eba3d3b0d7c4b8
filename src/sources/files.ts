import { readdir, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { extname, join, relative } from 'node:path';
import type { K8sObject } from '../model/types.js';
import { parseManifests, type LoadProblem, type ParseOptions } from './parse.js';
import { errnoReason, readRegularFile, type ReadOutcome } from './read-file.js';
import { decodeUtf8 } from './utf8.js';

export const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
export const DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024;

/** An input path that cannot be read: the CLI turns it into a one-line error and exit code 2. */
export class InputError extends Error {}

export interface LoadOptions extends ParseOptions {
  maxFileBytes?: number;
  /** Paths in findings are shown relative to this folder. */
  cwd?: string;
}

export interface LoadResult {
  objects: K8sObject[];
  problems: LoadProblem[];
  files: string[];
}

/** A path the walk found: a file to read, or an entry it could not follow (said in `problem`). */
export interface InputEntry {
  path: string;
  problem?: string;
}

/**
 * Expands files and folders (recursively) into manifest files, in a stable order. A named path
 * that does not exist is an InputError (a typo: nothing is analysed); inside a folder, an entry that
 * cannot be followed (a folder without permission, a symlink loop, a link to nowhere) is an entry
 * with a problem, and the walk goes on. Symlinked folders are followed; one that leads back to a
 * folder being walked is a loop, and a folder reached twice is read once.
 */
export async function expandPaths(paths: readonly string[], cwd?: string): Promise<InputEntry[]> {
  const out: InputEntry[] = [];
  for (const p of paths) {
    let info;
    try {
      info = await stat(p);
    } catch (e) {
      throw new InputError(`cannot read ${cwd ? relative(cwd, p) || p : p}: ${errnoReason(e)}`);
    }
    if (info.isDirectory()) await walk(p, info, { ancestors: new Map(), seen: new Set(), cwd }, out);
    else out.push({ path: p });
  }
  return out;
}

interface Walk {
  /** The folders on the way down, by device and inode: reaching one again is a loop. */
  ancestors: Map<string, string>;
  /** Every folder walked: a second link to one is not read twice (nor 2^n times). */
  seen: Set<string>;
  cwd: string | undefined;
}

const identity = (info: Stats): string => `${info.dev}:${info.ino}`;

async function walk(dir: string, info: Stats, w: Walk, out: InputEntry[]): Promise<void> {
  const id = identity(info);
  const loop = w.ancestors.get(id);
  if (loop !== undefined) {
    const to = w.cwd ? relative(w.cwd, loop) || '.' : loop;
    out.push({ path: dir, problem: `symlink loop: this folder is ${to} again: not read twice` });
    return;
  }
  if (w.seen.has(id)) return;
  w.seen.add(id);
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    out.push({ path: dir, problem: `cannot read the folder: ${errnoReason(e)}` });
    return;
  }
  w.ancestors.set(id, dir);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const full = join(dir, e.name);
    const manifest = MANIFEST_EXTENSIONS.has(extname(e.name).toLowerCase());
    if (e.isDirectory() || e.isSymbolicLink()) {
      let target: Stats;
      try {
        target = await stat(full);
      } catch (err) {
        // A link to nowhere named like a manifest was meant to be read; a loop never works.
        if (manifest || (err as NodeJS.ErrnoException).code === 'ELOOP')
          out.push({ path: full, problem: `cannot read: ${errnoReason(err)}` });
        continue;
      }
      if (target.isDirectory()) await walk(full, target, w, out);
      else if (manifest) out.push({ path: full });
    } else if (manifest) out.push({ path: full }); // a FIFO or a device too: the reader refuses it
  }
  w.ancestors.delete(id);
}

/** One input file as read: its text, unless a problem kept it from being read whole. */
export interface ReadManifest {
  path: string;
  /** The path as findings show it. */
  shown: string;
  /** Undefined when the file was not read; with an invalid UTF-8 problem, U+FFFD stands for the bad bytes. */
  text?: string;
  problems: LoadProblem[];
}

/** Files read at once: enough to keep the disk busy, few enough to bound open handles and memory. */
const READ_AHEAD = 32;

/**
 * Reads the manifest files of files and folders, in order, each as soon as it is wanted (the caller
 * parses one while the next ones are read). Only regular files are read; anything else, or a file
 * that cannot be read, comes with a problem at its path, and the others are still read.
 */
export async function* readManifests(
  paths: readonly string[],
  options: Pick<LoadOptions, 'cwd' | 'maxFileBytes'> = {},
): AsyncGenerator<ReadManifest> {
  yield* readEntries(await expandPaths(paths, options.cwd), options);
}

/** Reads what expandPaths found; a file gone or changed since the walk is a problem at its path. */
export async function* readEntries(
  entries: readonly InputEntry[],
  options: Pick<LoadOptions, 'cwd' | 'maxFileBytes'> = {},
): AsyncGenerator<ReadManifest> {
  const limit = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const read = (e: InputEntry): Promise<ReadOutcome> =>
    e.problem !== undefined ? Promise.resolve({ error: e.problem }) : readRegularFile(e.path, limit);
  // Reads run ahead of parsing (which is synchronous); results are used in file order.
  const pending: Promise<ReadOutcome>[] = [];
  for (let i = 0; i < Math.min(READ_AHEAD, entries.length); i++) pending.push(read(entries[i]!));
  for (let i = 0; i < entries.length; i++) {
    const outcome = await pending[i]!;
    if (i + READ_AHEAD < entries.length) pending.push(read(entries[i + READ_AHEAD]!));
    const entry = entries[i]!;
    const shown = options.cwd ? relative(options.cwd, entry.path) || entry.path : entry.path;
    yield { path: entry.path, shown, ...fromOutcome(outcome, shown, limit, entry.problem !== undefined) };
  }
}

function fromOutcome(
  outcome: ReadOutcome,
  shown: string,
  limit: number,
  walkProblem: boolean,
): { text?: string; problems: LoadProblem[] } {
  const problem = (message: string, line = 1, column = 1): LoadProblem => ({
    rule: 'yaml-syntax',
    message,
    file: shown,
    line,
    column,
  });
  if ('error' in outcome)
    return { problems: [problem(walkProblem ? outcome.error : `cannot read: ${outcome.error}`)] };
  if ('notRegular' in outcome)
    return { problems: [problem(`not a regular file (${outcome.notRegular}): not read`)] };
  if ('tooLarge' in outcome) {
    const size = outcome.tooLarge === undefined ? 'over' : `${mib(outcome.tooLarge)}, over`;
    return {
      problems: [
        problem(`file is ${size} the ${mib(limit)} limit: not analysed (raise it with --max-file-size)`),
      ],
    };
  }
  return decoded(outcome.bytes, problem);
}

function decoded(
  bytes: Uint8Array,
  problem: (message: string, line?: number, column?: number) => LoadProblem,
): { text: string; problems: LoadProblem[] } {
  const { text, invalid } = decodeUtf8(bytes);
  // A NUL byte is a binary file, which the parser reports as such: one finding, not two.
  if (!invalid || bytes.includes(0)) return { text, problems: [] };
  const byte = `0x${invalid.byte.toString(16).toUpperCase().padStart(2, '0')}`;
  return {
    text,
    problems: [
      problem(
        `invalid UTF-8 (byte ${byte}): YAML and JSON are Unicode text; the rest is read with U+FFFD in place of the bad bytes`,
        invalid.line,
        invalid.column,
      ),
    ],
  };
}

/** Reads and parses manifest files; a file that cannot be read or parsed is a problem, not an exception. */
export async function loadFiles(paths: readonly string[], options: LoadOptions = {}): Promise<LoadResult> {
  const result: LoadResult = { objects: [], problems: [], files: [] };
  for await (const file of readManifests(paths, options)) {
    result.files.push(file.shown);
    for (const p of file.problems) result.problems.push(p);
    if (file.text !== undefined) append(result, parseManifests(file.text, file.shown, options));
  }
  return result;
}

/**
 * Parses what came from stdin (`helm template . | kubeha check -f -`): bytes as readStdin read them
 * (more than the limit means reading stopped there), or text.
 */
export function loadText(input: string | Uint8Array, name: string, options: LoadOptions = {}): LoadResult {
  const result: LoadResult = { objects: [], problems: [], files: [name] };
  const limit = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const read = stdinText(input, name, limit);
  result.problems.push(...read.problems);
  if (read.text !== undefined) append(result, parseManifests(read.text, name, options));
  return result;
}

/** Stdin's bytes as text, or the problem that keeps them from being analysed. */
export function stdinText(
  input: string | Uint8Array,
  name: string,
  limit: number = DEFAULT_MAX_FILE_BYTES,
): { text?: string; problems: LoadProblem[] } {
  const problem = (message: string, line = 1, column = 1): LoadProblem => ({
    rule: 'yaml-syntax',
    message,
    file: name,
    line,
    column,
  });
  if (typeof input === 'string') {
    const size = Buffer.byteLength(input);
    if (size <= limit) return { text: input, problems: [] };
    return {
      problems: [
        problem(
          `input is ${mib(size)}, over the ${mib(limit)} limit: not analysed (raise it with --max-file-size)`,
        ),
      ],
    };
  }
  if (input.length > limit)
    return {
      problems: [
        problem(
          `input is over the ${mib(limit)} limit: reading stopped there, not analysed (raise it with --max-file-size)`,
        ),
      ],
    };
  return decoded(input, problem);
}

/**
 * Reads stdin, but never more than `maxBytes` and one more byte: 512 MiB piped in costs the limit in
 * memory, not 512 MiB. Over the limit, the result is longer than `maxBytes` and reading has stopped.
 */
export async function readStdin(maxBytes: number = DEFAULT_MAX_FILE_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    total += (chunk as Buffer).length;
    if (total > maxBytes) break; // ends the stream: the writer gets EPIPE, not our memory
  }
  const all = Buffer.concat(chunks, total);
  return total > maxBytes ? all.subarray(0, maxBytes + 1) : all;
}

function append(into: LoadResult, from: { objects: K8sObject[]; problems: LoadProblem[] }): void {
  for (const o of from.objects) into.objects.push(o);
  for (const p of from.problems) into.problems.push(p);
}

function mib(bytes: number): string {
  if (bytes < 2 ** 20) return `${(bytes / 2 ** 10).toFixed(1)} KiB`; // --max-file-size 1000
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
