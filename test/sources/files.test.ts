import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, loadFiles } from '../../src/sources/files.js';

let dir: string;
const cm = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\n`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubeha-files-'));
  await mkdir(join(dir, 'app', 'nested'), { recursive: true });
  await mkdir(join(dir, '.git'));
  await mkdir(join(dir, 'node_modules'));
  await writeFile(join(dir, 'app', 'b.yaml'), cm('b'));
  await writeFile(join(dir, 'app', 'a.yml'), cm('a'));
  await writeFile(
    join(dir, 'app', 'nested', 'c.json'),
    JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }),
  );
  await writeFile(join(dir, 'app', 'README.md'), '# not a manifest');
  await writeFile(join(dir, '.git', 'x.yaml'), cm('hidden'));
  await writeFile(join(dir, 'node_modules', 'y.yaml'), cm('dep'));
  await writeFile(join(dir, 'empty.yaml'), '');
  await writeFile(join(dir, 'binary.yaml'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadFiles', () => {
  it('walks folders recursively in a stable order, reading .yaml, .yml and .json and skipping dot folders and node_modules', async () => {
    const r = await loadFiles([join(dir, 'app')], { cwd: dir });
    expect(r.files).toEqual(['app/a.yml', 'app/b.yaml', 'app/nested/c.json']);
    expect(r.objects.map((o) => o.name)).toEqual(['a', 'b', 'c']);
    expect(r.objects[0]!.source!.file).toBe('app/a.yml');
  });

  it('turns an empty file into nothing and a binary file into one finding, and goes on', async () => {
    const r = await loadFiles(
      [join(dir, 'empty.yaml'), join(dir, 'binary.yaml'), join(dir, 'app', 'a.yml')],
      { cwd: dir },
    );
    expect(r.problems).toEqual([
      {
        rule: 'yaml-syntax',
        message: 'binary file: not YAML or JSON text',
        detail:
          'Neither kubectl nor kubeha reads manifests from it. Leave it out of the paths given to kubeha.',
        file: 'binary.yaml',
        line: 1,
        column: 1,
      },
    ]);
    expect(r.objects.map((o) => o.name)).toEqual(['a']);
  });

  it('skips a 50 MB file with a finding instead of exhausting memory, and still reads the rest', async () => {
    const big = join(dir, 'big.yaml');
    const doc = cm('x') + 'data:\n' + '  k: ' + 'v'.repeat(1000) + '\n';
    const copies = Math.ceil((50 * 2 ** 20) / (doc.length + 4));
    await writeFile(big, Array(copies).fill(doc).join('---\n'));
    const r = await loadFiles([big, join(dir, 'app', 'b.yaml')], { cwd: dir });
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ rule: 'yaml-syntax', file: 'big.yaml', line: 1 });
    expect(r.problems[0]!.message).toMatch(/^file is 50\.\d MiB, over the 16\.0 MiB limit/);
    expect(r.objects.map((o) => o.name)).toEqual(['b']);
    await rm(big);
  });

  // A path that exists but cannot be read is a finding, and the run goes on: test/sources/hostile-input.test.ts.
  it('fails with an InputError naming the path when a named path does not exist (a typo)', async () => {
    await expect(loadFiles([join(dir, 'nope.yaml')], { cwd: dir })).rejects.toThrow(
      new InputError('cannot read nope.yaml: no such file or directory'),
    );
  });
});

// Paths in findings are relative to the working folder, as path.relative gives them; the loader
// works a folder's part out once per folder (100 000 files), which must give the same text wherever
// the working folder is: at the walked folder, below it, beside it, at the root.
describe('the paths findings show', () => {
  it('are relative(cwd, file) for every file, from any working folder and however the folder is named', async () => {
    const named = [join(dir, 'app'), `${dir}/app/`, `${dir}/app/nested/..`, `${dir}//./app`];
    const workingFolders = [dir, join(dir, 'app'), join(dir, 'app', 'nested'), join(dir, '.git'), '/'];
    for (const cwd of workingFolders) {
      for (const path of named) {
        const r = await loadFiles([path], { cwd });
        const files = ['a.yml', 'b.yaml', 'nested/c.json'].map((f) => relative(cwd, join(dir, 'app', f)));
        expect(r.files, `cwd ${cwd}, named ${path}`).toEqual(files);
        expect(r.objects.map((o) => o.source?.file)).toEqual(files);
      }
    }
    // Named relative to the process' folder, shown relative to another.
    const r = await loadFiles([relative(process.cwd(), join(dir, 'app', 'nested'))], {
      cwd: join(dir, 'app'),
    });
    expect(r.files).toEqual(['nested/c.json']);
  });
});
