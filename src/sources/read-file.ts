import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { Stats } from 'node:fs';

/** What reading one path gave. A read never throws: every failure is an outcome, said in words. */
export type ReadOutcome =
  { bytes: Buffer } | { tooLarge: number | undefined } | { notRegular: string } | { error: string };

/**
 * O_NONBLOCK: opening a FIFO for reading otherwise waits for a writer, for ever. On a regular file it
 * changes nothing. O_NOCTTY: a terminal device named x.yaml must not become the controlling terminal.
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

/**
 * Reads a regular file of at most `limit` bytes. What the path is, is decided on the opened handle
 * (fstat), not on a stat before the open: the path may be replaced in between. A FIFO, a device
 * (/dev/zero, /dev/random), a socket are never read.
 *
 * Synchronous on purpose: a manifest is a few KB, and the four system calls cost microseconds, where
 * the same four through fs/promises (a thread-pool round trip and a promise each, a FileHandle to
 * finalise) cost ten times the CPU: 1.2 s instead of 0.14 s for 10 000 small files (docs/benchmarks.md).
 * Nothing here can wait for ever: the open does not block (O_NONBLOCK) and only a regular file is read.
 */
export function readRegularFileSync(path: string, limit: number): ReadOutcome {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (e) {
    return { error: errnoReason(e) };
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) return { notRegular: fileType(info) };
    if (info.size > limit) return { tooLarge: info.size };
    // The file may grow between the fstat and the read: never read more than the limit, plus one
    // byte to know it is over.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      // One read of the size fstat gave, plus a byte: a short read is the end of a regular file.
      const want = Math.min(total < info.size ? info.size - total + 1 : 64 * 1024, limit + 1 - total);
      if (want <= 0) break;
      const buffer = Buffer.allocUnsafe(want);
      const bytesRead = readSync(fd, buffer, 0, want, null);
      if (bytesRead === 0) break;
      chunks.push(bytesRead === want ? buffer : buffer.subarray(0, bytesRead));
      total += bytesRead;
      if (bytesRead < want) break;
    }
    if (total > limit) return { tooLarge: undefined };
    return { bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total) };
  } catch (e) {
    return { error: errnoReason(e) };
  } finally {
    try {
      closeSync(fd);
    } catch {
      // Nothing was written: a failed close loses nothing.
    }
  }
}

/** readRegularFileSync for callers that await: the same outcome, never a rejection. */
export async function readRegularFile(path: string, limit: number): Promise<ReadOutcome> {
  return readRegularFileSync(path, limit);
}

/** "a FIFO", "a character device": what a path that is not a regular file is. */
export function fileType(info: Stats): string {
  if (info.isFIFO()) return 'a FIFO';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  if (info.isDirectory()) return 'a directory';
  return 'not a file';
}

/** An fs error in a few words, without the syscall and path node puts in its message. */
export function errnoReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'ELOOP') return 'too many levels of symbolic links (a symlink loop)';
  if (code === 'ENOTDIR') return 'not a directory';
  if (code === 'EIO') return 'input/output error';
  return e instanceof Error ? e.message.split('\n')[0]! : String(e);
}
