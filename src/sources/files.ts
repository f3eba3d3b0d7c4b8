import { readdirSync, statSync, type Stats } from 'node:fs';
import { extname, isAbsolute, normalize, relative } from 'node:path';
import type { K8sObject } from '../model/types.js';
import { parseManifests, type LoadProblem, type ParseOptions } from './parse.js';
import { errnoReason, readRegularFileSync, type ReadOutcome } from './read-file.js';
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
 *
 * The walk is synchronous, as the reads are (read-file.ts): a readdir or a stat through fs/promises
 * costs several times the system call itself, and 100 000 files mean 23 000 folders.
 */
export async function expandPaths(paths: readonly string[], cwd?: string): Promise<InputEntry[]> {
  return expandPathsSync(paths, cwd);
}

function expandPathsSync(paths: readonly string[], cwd: string | undefined): InputEntry[] {
  const out: InputEntry[] = [];
  for (const p of paths) {
    let info;
    try {
      info = statSync(p);
    } catch (e) {
      throw new InputError(`cannot read ${cwd ? relative(cwd, p) || p : p}: ${errnoReason(e)}`);
    }
    if (info.isDirectory())
      walk(p, withoutTrailingSlash(normalize(p)), info, { ancestors: new Map(), seen: new Set(), cwd }, out);
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

/** "a/b/" → "a/b"; "/" stays. */
const withoutTrailingSlash = (p: string): string => (p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p);

/**
 * `join(base, name)` for a normalized `base` and a name read from a folder (never "", "." or ".."
 * and without a slash), without normalizing the whole path again for each of 100 000 entries.
 */
function child(base: string, name: string): string {
  if (base === '.') return name;
  return base === '/' ? `/${name}` : `${base}/${name}`;
}

/**
 * `dir` is the folder as named (said in its own problem), `base` the same normalized: its entries'
 * paths are what `join(dir, name)` gives.
 */
function walk(dir: string, base: string, info: Stats, w: Walk, out: InputEntry[]): void {
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
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    out.push({ path: dir, problem: `cannot read the folder: ${errnoReason(e)}` });
    return;
  }
  w.ancestors.set(id, dir);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const full = child(base, e.name);
    const manifest = MANIFEST_EXTENSIONS.has(extname(e.name).toLowerCase());
    if (e.isDirectory() || e.isSymbolicLink()) {
      let target: Stats;
      try {
        target = statSync(full);
      } catch (err) {
        // A link to nowhere named like a manifest was meant to be read; a loop never works.
        if (manifest || (err as NodeJS.ErrnoException).code === 'ELOOP')
          out.push({ path: full, problem: `cannot read: ${errnoReason(err)}` });
        continue;
      }
      if (target.isDirectory()) walk(full, full, target, w, out);
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

/**
 * Reads the manifest files of files and folders, in order, each as soon as it is wanted (the caller
 * parses one before the next is read, so only one file's bytes are held at a time). Only regular
 * files are read; anything else, or a file that cannot be read, comes with a problem at its path,
 * and the others are still read.
 */
export async function* readManifests(
  paths: readonly string[],
  options: Pick<LoadOptions, 'cwd' | 'maxFileBytes'> = {},
): AsyncGenerator<ReadManifest> {
  yield* readEntriesSync(expandPathsSync(paths, options.cwd), options);
}

/** Reads what expandPaths found; a file gone or changed since the walk is a problem at its path. */
export async function* readEntries(
  entries: readonly InputEntry[],
  options: Pick<LoadOptions, 'cwd' | 'maxFileBytes'> = {},
): AsyncGenerator<ReadManifest> {
  yield* readEntriesSync(entries, options);
}

function* readEntriesSync(
  entries: readonly InputEntry[],
  options: Pick<LoadOptions, 'cwd' | 'maxFileBytes'>,
): Generator<ReadManifest> {
  const limit = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const shownOf = options.cwd !== undefined ? shownPaths(options.cwd) : undefined;
  for (const entry of entries) {
    const outcome: ReadOutcome =
      entry.problem !== undefined ? { error: entry.problem } : readRegularFileSync(entry.path, limit);
    const shown = shownOf ? shownOf(entry) : entry.path;
    yield { path: entry.path, shown, ...fromOutcome(outcome, shown, limit, entry.problem !== undefined) };
  }
}

/**
 * `relative(cwd, path) || path` for each entry, as findings show paths. path.relative resolves and
 * normalizes both paths on every call (8 µs each, most of a small file's cost beside its parse); the
 * walk's entries are normalized `folder/name` paths, so the folder's part is worked out once per
 * folder. Anything else (a path named on the command line, an entry with a problem, a file above
 * the working folder) goes through relative() itself.
 */
function shownPaths(cwd: string): (entry: InputEntry) => string {
  const folders = new Map<string, string>();
  const exact = (path: string): string => relative(cwd, path) || path;
  return (entry) => {
    const path = entry.path;
    const slash = path.lastIndexOf('/');
    if (entry.problem !== undefined || slash <= 0) return exact(path);
    const folder = path.slice(0, slash);
    const name = path.slice(slash + 1);
    if (name === '' || name === '.' || name === '..') return exact(path);
    let shownFolder = folders.get(folder);
    if (shownFolder === undefined) {
      // Only a folder at or below the working folder: a file's path then cannot be the working
      // folder or above it, where relative() answers with "..".
      shownFolder = normalize(folder) === folder ? relative(cwd, folder) : '..';
      folders.set(folder, shownFolder);
    }
    if (shownFolder === '') return name;
    if (shownFolder === '..' || shownFolder.startsWith('../') || isAbsolute(shownFolder)) return exact(path);
    return `${shownFolder}/${name}`;
  };
}

// Each says why the input was left out and what to do; the rest of the input is analysed either way.
const UNREADABLE =
  'kubeha analyses what it can open and reports the rest, so the other files are still checked. Give kubeha read access to it, or leave it out of the paths given.';
const NOT_REGULAR =
  'Only regular files are read: a FIFO, socket or device may block or never end. Pass the file that holds the manifests.';
const TOO_LARGE =
  'Input past --max-file-size is skipped so that one huge file cannot exhaust memory. Raise the limit with --max-file-size if it is meant to be checked.';

function fromOutcome(
  outcome: ReadOutcome,
  shown: string,
  limit: number,
  walkProblem: boolean,
): { text?: string; problems: LoadProblem[] } {
  const problem = (message: string, detail: string, line = 1, column = 1): LoadProblem => ({
    rule: 'yaml-syntax',
    message,
    detail,
    file: shown,
    line,
    column,
  });
  if ('error' in outcome)
    return {
      problems: [problem(walkProblem ? outcome.error : `cannot read: ${outcome.error}`, UNREADABLE)],
    };
  if ('notRegular' in outcome)
    return { problems: [problem(`not a regular file (${outcome.notRegular}): not read`, NOT_REGULAR)] };
  if ('tooLarge' in outcome) {
    const size = outcome.tooLarge === undefined ? 'over' : `${mib(outcome.tooLarge)}, over`;
    return {
      problems: [problem(`file is ${size} the ${mib(limit)} limit: not analysed`, TOO_LARGE)],
    };
  }
  return decoded(outcome.bytes, problem);
}

function decoded(
  bytes: Uint8Array,
  problem: (message: string, detail: string, line?: number, column?: number) => LoadProblem,
): { text: string; problems: LoadProblem[] } {
  const { text, invalid } = decodeUtf8(bytes);
  // A NUL byte is a binary file, which the parser reports as such: one finding, not two.
  if (!invalid || bytes.includes(0)) return { text, problems: [] };
  const byte = `0x${invalid.byte.toString(16).toUpperCase().padStart(2, '0')}`;
  return {
    text,
    problems: [
      problem(
        `invalid UTF-8 (byte ${byte})`,
        'YAML and JSON are Unicode text, and kubectl refuses a file that is not UTF-8; the rest of the file is read with U+FFFD in place of the bad bytes. Save the file as UTF-8.',
        invalid.line,
        invalid.column,
      ),
    ],
  };
}

/** Reads and parses manifest files; a file that cannot be read or parsed is a problem, not an exception. */
export async function loadFiles(paths: readonly string[], options: LoadOptions = {}): Promise<LoadResult> {
  const result: LoadResult = { objects: [], problems: [], files: [] };
  for (const file of readEntriesSync(expandPathsSync(paths, options.cwd), options)) {
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
  const problem = (message: string, detail: string, line = 1, column = 1): LoadProblem => ({
    rule: 'yaml-syntax',
    message,
    detail,
    file: name,
    line,
    column,
  });
  if (typeof input === 'string') {
    const size = Buffer.byteLength(input);
    if (size <= limit) return { text: input, problems: [] };
    return {
      problems: [problem(`input is ${mib(size)}, over the ${mib(limit)} limit: not analysed`, TOO_LARGE)],
    };
  }
  if (input.length > limit)
    return {
      problems: [
        problem(`input is over the ${mib(limit)} limit: reading stopped there, not analysed`, TOO_LARGE),
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
