import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandPaths, loadFiles, loadText, readEntries, type ReadManifest } from '../../src/sources/files.js';
import { parseManifests } from '../../src/sources/parse.js';
import { decodeUtf8, firstInvalidByte } from '../../src/sources/utf8.js';

// Issue 14, reading input: what a repository or a pipe may hold that is not a plain manifest. Every
// entry here is real (a FIFO made by mkfifo, symlinks, a file deleted after the walk); the CLI runs
// of the same inputs (hangs, memory, exit codes) are in test/cli/hostile-input.test.ts.

let dir: string;
const cm = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\n`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubeha-hostile-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fresh(name: string): Promise<string> {
  const d = join(dir, name);
  await mkdir(d, { recursive: true });
  return d;
}

describe('only regular files are read', () => {
  it('a FIFO named x.yaml and a symlink to /dev/zero are findings, and the other files are analysed', async () => {
    const d = await fresh('special');
    await writeFile(join(d, 'a.yaml'), cm('a'));
    execFileSync('mkfifo', [join(d, 'x.yaml')]); // no writer: opening it blocking would wait for ever
    await symlink('/dev/zero', join(d, 'z.yaml'));
    const r = await loadFiles([d], { cwd: d });
    expect(r.objects.map((o) => o.name)).toEqual(['a']);
    expect(r.problems).toEqual([
      {
        rule: 'yaml-syntax',
        message: 'not a regular file (a FIFO): not read',
        detail: expect.stringContaining('Only regular files are read'),
        file: 'x.yaml',
        line: 1,
        column: 1,
      },
      {
        rule: 'yaml-syntax',
        message: 'not a regular file (a character device): not read',
        detail: expect.stringContaining('Only regular files are read'),
        file: 'z.yaml',
        line: 1,
        column: 1,
      },
    ]);
    // Named on the command line, the same.
    const named = await loadFiles([join(d, 'x.yaml'), join(d, 'z.yaml')], { cwd: d });
    expect(named.problems.map((p) => `${p.file}: ${p.message}`)).toEqual([
      'x.yaml: not a regular file (a FIFO): not read',
      'z.yaml: not a regular file (a character device): not read',
    ]);
  });
});

describe('an unreadable entry is a finding at its path; every other file is analysed', () => {
  it('a symlink loop, a dangling symlink and a file deleted between the walk and the read', async () => {
    const d = await fresh('unreadable');
    await writeFile(join(d, 'a.yaml'), cm('a'));
    await writeFile(join(d, 'gone.yaml'), cm('gone'));
    await writeFile(join(d, 'z.yaml'), cm('z'));
    await symlink('loop.yaml', join(d, 'loop.yaml'));
    await symlink('nowhere.yaml', join(d, 'dangling.yaml'));
    const entries = await expandPaths([d], d);
    await rm(join(d, 'gone.yaml')); // after the walk, before the read
    const read: ReadManifest[] = [];
    for await (const f of readEntries(entries, { cwd: d })) read.push(f);
    expect(read.map((f) => [f.shown, f.text !== undefined, f.problems.map((p) => p.message)])).toEqual([
      ['a.yaml', true, []],
      ['dangling.yaml', false, ['cannot read: no such file or directory']],
      ['gone.yaml', false, ['cannot read: no such file or directory']],
      ['loop.yaml', false, ['cannot read: too many levels of symbolic links (a symlink loop)']],
      ['z.yaml', true, []],
    ]);
  });

  it.skipIf(process.getuid?.() === 0)(
    'a file and a folder without read permission (skipped as root, who reads them anyway: test/cli/hostile-input.test.ts runs this as nobody)',
    async () => {
      const d = await fresh('locked');
      await writeFile(join(d, 'a.yaml'), cm('a'));
      await writeFile(join(d, 'locked.yaml'), cm('l'), { mode: 0 });
      await mkdir(join(d, 'closed'), { mode: 0 });
      const r = await loadFiles([d], { cwd: d });
      expect(r.objects.map((o) => o.name)).toEqual(['a']);
      expect(r.problems.map((p) => `${p.file}: ${p.message}`)).toEqual([
        'closed: cannot read the folder: permission denied',
        'locked.yaml: cannot read: permission denied',
      ]);
    },
  );
});

describe('symlinked folders', () => {
  it('are followed; a link back to a folder being walked is a loop finding; a folder reached twice is read once', async () => {
    const d = await fresh('links');
    const elsewhere = await fresh('elsewhere');
    await writeFile(join(elsewhere, 'web.yaml'), cm('web'));
    await mkdir(join(d, 'app'));
    await writeFile(join(d, 'app', 'a.yaml'), cm('a'));
    await symlink(elsewhere, join(d, 'linked'));
    await symlink('..', join(d, 'app', 'up')); // app/up → d: a loop
    await symlink('app', join(d, 'same')); // app again, by another name
    const r = await loadFiles([d], { cwd: d });
    expect(r.objects.map((o) => `${o.source?.file}:${o.name}`)).toEqual([
      'app/a.yaml:a',
      'linked/web.yaml:web',
    ]);
    expect(r.problems.map((p) => `${p.file}: ${p.message}`)).toEqual([
      'app/up: symlink loop: this folder is . again: not read twice',
    ]);
  });

  it('2^20 paths through linked folders cost 20 folders, not a million walks', async () => {
    const d = await fresh('diamonds');
    let level = d;
    for (let i = 0; i < 20; i++) {
      const next = join(level, 'n');
      await mkdir(next);
      await symlink('n', join(level, 'm')); // two names for every level
      level = next;
    }
    await writeFile(join(level, 'deep.yaml'), cm('deep'));
    const started = Date.now();
    const r = await loadFiles([d], { cwd: d });
    expect(r.objects.map((o) => o.name)).toEqual(['deep']);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('invalid UTF-8 and a List whose items are not a list', () => {
  it('invalid UTF-8 is a finding at its line and column, and the rest of the file is analysed', async () => {
    const d = await fresh('utf8');
    const bytes = Buffer.concat([
      Buffer.from(cm('latin') + 'data:\n  k: caf'),
      Buffer.from([0xe9]), // é in Latin-1
      Buffer.from('\n---\n' + cm('next')),
    ]);
    await writeFile(join(d, 'latin1.yaml'), bytes);
    const r = await loadFiles([d], { cwd: d });
    expect(r.problems).toEqual([
      {
        rule: 'yaml-syntax',
        message: 'invalid UTF-8 (byte 0xE9)',
        detail: expect.stringContaining('the rest of the file is read with U+FFFD in place of the bad bytes'),
        file: 'latin1.yaml',
        line: 5,
        column: 9,
      },
    ]);
    expect(r.objects.map((o) => o.name)).toEqual(['latin', 'next']);
    // On stdin the same.
    const s = loadText(bytes, '<stdin>');
    expect(s.problems.map((p) => `${p.file}:${p.line}:${p.column}`)).toEqual(['<stdin>:5:9']);
    expect(s.objects).toHaveLength(2);
  });

  it('finds the first byte that is not UTF-8: overlongs, surrogates, truncated sequences, above U+10FFFF', () => {
    const at = (...b: number[]): number => firstInvalidByte(Uint8Array.from(b));
    expect(at(0x61, 0xc3, 0xa9, 0x62)).toBe(4); // "aéb": valid
    expect(at(0x61, 0xc0, 0xaf)).toBe(1); // overlong "/"
    expect(at(0xed, 0xa0, 0x80)).toBe(0); // a UTF-16 surrogate
    expect(at(0x61, 0xe2, 0x82)).toBe(1); // cut short
    expect(at(0xf4, 0x90, 0x80, 0x80)).toBe(0); // above U+10FFFF
    expect(at(0xf0, 0x9f, 0x98, 0x80)).toBe(4); // an emoji
    // A valid file keeps its byte-order mark, as it always did (the parser skips it).
    expect(decodeUtf8(Buffer.from('\ufeffa: 1')).text).toBe('\ufeffa: 1');
    expect(decodeUtf8(Buffer.from([0x61, 0x0a, 0xff])).invalid).toEqual({ line: 2, column: 1, byte: 0xff });
  });

  it('a kind: List whose items is a map or a string is a finding at items; the next document still loads', () => {
    const text = [
      'apiVersion: v1\nkind: List\nitems:\n  a: 1\n',
      'apiVersion: v1\nkind: PodList\nitems: nope\n',
      cm('after'),
    ].join('---\n');
    const r = parseManifests(text, 'list.yaml');
    expect(r.problems).toEqual([
      {
        rule: 'invalid-object',
        message: 'items of this List is a map, not a list of objects',
        detail: 'Nothing in it is read. Write items as a list of Kubernetes objects.',
        file: 'list.yaml',
        line: 3,
        column: 1,
      },
      {
        rule: 'invalid-object',
        message: 'items of this PodList is a string, not a list of objects',
        detail: 'Nothing in it is read. Write items as a list of Kubernetes objects.',
        file: 'list.yaml',
        line: 8,
        column: 1,
      },
    ]);
    expect(r.objects.map((o) => o.name)).toEqual(['after']);
  });
});

describe('stdin', () => {
  it('over the limit, reading stopped there: one finding, nothing parsed', () => {
    const r = loadText(Buffer.alloc(1025, 0x61), '<stdin>', { maxFileBytes: 1024 });
    expect(r.problems).toEqual([
      {
        rule: 'yaml-syntax',
        message: 'input is over the 1.0 KiB limit: reading stopped there, not analysed',
        detail: expect.stringContaining('Raise the limit with --max-file-size'),
        file: '<stdin>',
        line: 1,
        column: 1,
      },
    ]);
  });
});
