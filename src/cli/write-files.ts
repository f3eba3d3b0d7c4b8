import {
  accessSync,
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fstatSync,
  ftruncateSync,
  lstatSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * How `fix --write` puts text back into the user's files without taking anything from them: the
 * file keeps its identity (a symlink stays a symlink, hard links stay linked, mode, owner and group
 * stay), an edit made since kubeha read the file is never overwritten, and an interrupted or failed
 * run says which files it wrote and leaves no temporary file behind. See docs/fix.md.
 */

export interface FileToWrite {
  /** The name shown to the user. */
  file: string;
  /** The path the user named (maybe a symlink). */
  path: string;
  /** The text kubeha read and planned against ('' for a file kubeha creates, such as a new --pdb-file). */
  before: string;
  after: string;
}

export interface WriteOptions {
  /** Write files whose mode has no write bit (root could, and kubeha would not by default). */
  forceReadOnly?: boolean;
}

export interface WriteReport {
  written: string[];
  /** Files left as they are on purpose, each with the reason (changed since read, read-only, locked). */
  skipped: { file: string; reason: string }[];
  /** The failure that stopped the run (disk full, permission), if any. */
  failed?: { file: string; reason: string };
  /** Files not reached because the run stopped (`failed` is the first of them when a file failed, none on a signal). */
  notWritten: string[];
}

/** The suffix of the temporary file beside each target; also the lock two kubeha runs share. */
export const TEMP_SUFFIX = '.kubeha.tmp';

/** Raised to skip a file without stopping the run. */
class Skip extends Error {}

/**
 * Writes the files one by one. A skipped file does not stop the run; a failure does (a full disk
 * fails every later file too). Each file is written synchronously, so a signal is handled between
 * two files: the temporary file of the one being written never outlives it.
 */
export async function writeFiles(
  files: readonly FileToWrite[],
  options: WriteOptions = {},
  onSignal?: (report: WriteReport, signal: NodeJS.Signals) => void,
): Promise<WriteReport> {
  const report: WriteReport = { written: [], skipped: [], notWritten: [] };
  let next = 0;
  const stop = (signal: NodeJS.Signals): void => {
    detach();
    report.notWritten = files.slice(next).map((f) => f.file);
    onSignal?.(report, signal);
    // The default action, now that the handler is gone: the exit status says which signal ended the run.
    process.kill(process.pid, signal);
  };
  const detach = (): void => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // A file named twice (itself and a symlink to it) is written once: the second text is the same fix.
  const seen = new Map<string, FileToWrite>();
  try {
    for (; next < files.length; next++) {
      // Lets a pending SIGINT/SIGTERM run its handler between two files.
      await new Promise((resolve) => setImmediate(resolve));
      const f = files[next]!;
      try {
        const target = resolveTarget(f.path);
        const first = seen.get(target);
        if (first === undefined) {
          seen.set(target, f);
          writeOne(f, target, options);
        } else if (first.after !== f.after || !report.written.includes(first.file))
          throw new Skip(`the same file as ${first.file}, which has its own fix`);
        report.written.push(f.file);
      } catch (e) {
        if (e instanceof Skip) {
          report.skipped.push({ file: f.file, reason: e.message });
          continue;
        }
        report.failed = { file: f.file, reason: reasonOf(e) };
        report.notWritten = files.slice(next).map((x) => x.file);
        break;
      }
    }
  } finally {
    detach();
  }
  return report;
}

/**
 * One file. The new text goes first into `.<name>.kubeha.tmp` beside the real file (created
 * exclusively: a second kubeha run writing the same file finds it and skips the file). Then, with
 * nothing but a stat and a read in between, the file is checked unchanged since kubeha read it,
 * and the temporary file is renamed over it (readers never see half a file) or, when renaming
 * would cut the file from its identity (other hard links, an owner or group kubeha cannot give
 * the new inode), copied into it in place.
 */
function writeOne(f: FileToWrite, target: string, options: WriteOptions): void {
  const before = statOrUndefined(target);
  if (before && !before.isFile()) throw new Skip('not a regular file');
  if (before && !options.forceReadOnly && (before.mode & 0o222) === 0)
    throw new Skip('read-only (its mode has no write bit); --force-read-only writes it anyway');
  if (before && !options.forceReadOnly && !writable(target)) throw new Skip('no write permission');
  if (!before && f.before !== '') throw new Skip('removed since kubeha read it');

  const temp = join(dirname(target), `.${basename(target)}${TEMP_SUFFIX}`);
  let fd: number;
  try {
    fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  } catch (e) {
    if (codeOf(e) === 'EEXIST')
      throw new Skip(
        `another kubeha run is writing it (or one was killed: delete ${basename(temp)} if none runs)`,
      );
    throw e;
  }
  let renamed = false;
  try {
    const bytes = Buffer.from(f.after, 'utf8');
    writeAll(fd, bytes);
    let inPlace = false;
    if (before) {
      fchmodSync(fd, before.mode & 0o7777);
      try {
        fchownSync(fd, before.uid, before.gid);
      } catch {
        // Not root and the file belongs to someone else: the new inode cannot keep its owner.
      }
      const made = fstatSync(fd);
      inPlace = before.nlink > 1 || made.uid !== before.uid || made.gid !== before.gid;
      // The temporary file stays as the lock; its blocks go back to the disk the file grows on.
      if (inPlace) ftruncateSync(fd, 0);
    }
    closeSync(fd);
    fd = -1;
    assertUnchanged(target, f.before, before);
    if (inPlace) overwriteInPlace(target, bytes, f.before);
    else {
      renameSync(temp, target);
      renamed = true;
    }
  } finally {
    if (fd !== -1) closeSync(fd);
    if (!renamed) unlinkQuietly(temp);
  }
}

/** The file a symlink (or a chain of them) leads to: written through, the links stay links. */
function resolveTarget(path: string): string {
  try {
    return realpathSync(path);
  } catch (e) {
    if (codeOf(e) !== 'ENOENT') throw e;
    const link = lstatOrUndefined(path);
    if (link?.isSymbolicLink()) throw new Skip('a symlink to a file that does not exist');
    return path; // a file kubeha creates (a new --pdb-file)
  }
}

/**
 * The file must hold what kubeha read: same inode, and the same text. The text decides (an editor
 * may save within the same second, or keep the size); the inode catches a file swapped for another.
 */
function assertUnchanged(target: string, text: string, before: Stats | undefined): void {
  const now = statOrUndefined(target);
  if (!before) {
    if (now) throw new Skip('created since kubeha started');
    return;
  }
  if (!now) throw new Skip('removed since kubeha read it');
  if (now.ino !== before.ino || now.dev !== before.dev || !now.isFile())
    throw new Skip('replaced since kubeha read it');
  if (readFileSync(target, 'utf8') !== text) throw new Skip('changed since kubeha read it');
}

/**
 * Keeps the inode (hard links, owner, group, mode, extended attributes); not atomic for readers.
 * A write that fails half way puts the text kubeha read back, so the file is never left half new.
 */
function overwriteInPlace(target: string, bytes: Buffer, original: string): void {
  const fd = openSync(target, constants.O_WRONLY);
  try {
    writeAll(fd, bytes);
    ftruncateSync(fd, bytes.length);
  } catch (e) {
    try {
      const old = Buffer.from(original, 'utf8');
      writeAll(fd, old);
      ftruncateSync(fd, old.length);
    } catch {
      throw new Error(`${reasonOf(e)}; the file may be left half written`);
    }
    throw e;
  } finally {
    closeSync(fd);
  }
}

/** Whether this process may open the file for writing (root may, whatever the mode: checked apart). */
function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function writeAll(fd: number, bytes: Buffer): void {
  for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at, at);
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (e) {
    if (codeOf(e) === 'ENOENT') return undefined;
    throw e;
  }
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}

function codeOf(e: unknown): string | undefined {
  return e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

function reasonOf(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.split('\n')[0]!;
}

/** A changed file as the commands hold it: its name as given, its text before and after. */
export interface ChangedFile {
  readonly file: string;
  readonly before: string;
  readonly after: string;
}

/**
 * Writes the changed files with writeFiles and says on stderr what happened: a failure or a signal
 * stops the run, and stderr then names the files written and the files not written. `absolute` maps
 * a file's name as given to its path (stdin's PDB file, a relative path).
 */
export async function writeReporting(
  files: readonly ChangedFile[],
  absolute: ReadonlyMap<string, string>,
  forceReadOnly: boolean,
  stderr: (s: string) => void,
): Promise<WriteReport> {
  const stopped = (r: WriteReport, signal?: NodeJS.Signals): void => {
    if (signal) stderr(`kubeha: stopped by ${signal}\n`);
    else if (r.failed) stderr(`kubeha: cannot write ${r.failed.file}: ${r.failed.reason}\n`);
    stderr(`kubeha: written: ${r.written.length ? r.written.join(', ') : 'none'}\n`);
    stderr(`kubeha: not written: ${[...r.skipped.map((s) => s.file), ...r.notWritten].join(', ')}\n`);
  };
  const report = await writeFiles(
    files.map((f) => ({ ...f, path: absolute.get(f.file) ?? f.file })),
    forceReadOnly ? { forceReadOnly: true } : {},
    stopped,
  );
  if (report.failed) stopped(report);
  return report;
}
