import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import type { K8sObject } from '../model/types.js';
import { parseManifests, type LoadProblem, type ParseOptions } from './parse.js';

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

/** Expands files and folders (recursively) into manifest files, in a stable order. */
export async function expandPaths(paths: readonly string[], cwd?: string): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    let info;
    try {
      info = await stat(p);
    } catch (e) {
      throw new InputError(`cannot read ${cwd ? relative(cwd, p) || p : p}: ${reason(e)}`);
    }
    if (info.isDirectory()) out.push(...(await walk(p)));
    else out.push(p);
  }
  return out;
}

async function walk(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    throw new InputError(`cannot read ${dir}: ${reason(e)}`);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const full = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(full)));
    else if (MANIFEST_EXTENSIONS.has(extname(e.name).toLowerCase())) out.push(full);
  }
  return out;
}

/** Files read at once: enough to keep the disk busy, few enough to bound open handles and memory. */
const READ_AHEAD = 32;

// A read never rejects: a rejection waiting in the read-ahead queue would be an unhandled one.
type ReadOutcome = { text: string } | { tooLarge: number } | { error: string };

/** Reads and parses manifest files; a file that cannot be parsed is a problem, not an exception. */
export async function loadFiles(paths: readonly string[], options: LoadOptions = {}): Promise<LoadResult> {
  const files = await expandPaths(paths, options.cwd);
  const result: LoadResult = { objects: [], problems: [], files: [] };
  const limit = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const read = async (file: string): Promise<ReadOutcome> => {
    try {
      const size = (await stat(file)).size;
      if (size > limit) return { tooLarge: size };
      return { text: await readFile(file, 'utf8') };
    } catch (e) {
      return {
        error: `cannot read ${options.cwd ? relative(options.cwd, file) || file : file}: ${reason(e)}`,
      };
    }
  };
  // Reads run ahead of parsing (which is synchronous); results are used in file order.
  const pending: Promise<ReadOutcome>[] = [];
  for (let i = 0; i < Math.min(READ_AHEAD, files.length); i++) pending.push(read(files[i]!));
  for (let i = 0; i < files.length; i++) {
    const outcome = await pending[i]!;
    if (i + READ_AHEAD < files.length) pending.push(read(files[i + READ_AHEAD]!));
    const file = files[i]!;
    const shown = options.cwd ? relative(options.cwd, file) || file : file;
    result.files.push(shown);
    if ('error' in outcome) throw new InputError(outcome.error);
    if ('tooLarge' in outcome) {
      result.problems.push({
        rule: 'yaml-syntax',
        message: `file is ${mib(outcome.tooLarge)}, over the ${mib(limit)} limit: not analysed (raise it with --max-file-size)`,
        file: shown,
        line: 1,
        column: 1,
      });
      continue;
    }
    append(result, parseManifests(outcome.text, shown, options));
  }
  return result;
}

/** Parses text that came from stdin (`helm template . | kubeha check -f -`). */
export function loadText(text: string, name: string, options: LoadOptions = {}): LoadResult {
  const result: LoadResult = { objects: [], problems: [], files: [name] };
  const limit = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  if (Buffer.byteLength(text) > limit) {
    result.problems.push({
      rule: 'yaml-syntax',
      message: `input is ${mib(Buffer.byteLength(text))}, over the ${mib(limit)} limit: not analysed (raise it with --max-file-size)`,
      file: name,
      line: 1,
      column: 1,
    });
    return result;
  }
  append(result, parseManifests(text, name, options));
  return result;
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function append(into: LoadResult, from: { objects: K8sObject[]; problems: LoadProblem[] }): void {
  for (const o of from.objects) into.objects.push(o);
  for (const p of from.problems) into.problems.push(p);
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return e instanceof Error ? e.message.split('\n')[0]! : String(e);
}
