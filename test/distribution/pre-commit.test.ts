// .pre-commit-hooks.yaml, run as pre-commit would: the hook's entry split into words, then its args,
// then (unless pass_filenames is false) the staged files that its types_or selects, with `kubeha` on
// the PATH (pre-commit's `language: node` installs the packed package; pack.test.ts shows that
// package runs). pre-commit's verdict is the command's exit code.
import { readdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { extname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, mustRun, pathWith, runProgram, tempDir } from './support.js';

interface Hook {
  id: string;
  name: string;
  entry: string;
  language: string;
  pass_filenames?: boolean;
  types_or?: string[];
  require_serial?: boolean;
}

const hooks = parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
const hook = (id: string) => hooks.find((h) => h.id === id)!;

/** pre-commit's file types (identify) for the extensions that matter here. */
function fileTypes(file: string): string[] {
  const ext = extname(file);
  if (ext === '.yaml' || ext === '.yml') return ['file', 'text', 'yaml'];
  if (ext === '.json') return ['file', 'text', 'json'];
  return ['file', 'text'];
}

describe('the pre-commit hooks', () => {
  let bin: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(() => {
    bin = tempDir('pre-commit');
    writeFileSync(
      join(bin, 'kubeha'),
      `#!/bin/sh\nexec node ${JSON.stringify(join(ROOT, 'dist', 'cli', 'bin.js'))} "$@"\n`,
    );
    chmodSync(join(bin, 'kubeha'), 0o755);
    env = { ...process.env, PATH: pathWith(bin), NO_COLOR: '1' };
  });
  afterAll(() => {
    if (bin) mustRun('rm', ['-rf', bin]);
  }, 120_000);

  /** What pre-commit runs for a hook, given the config's args and the staged files. */
  function runHook(h: Hook, args: string[], staged: string[]) {
    const files = staged.filter((f) => !h.types_or || h.types_or.some((t) => fileTypes(f).includes(t)));
    const [command, ...entryArgs] = h.entry.split(/\s+/);
    const argv = [...entryArgs, ...args, ...(h.pass_filenames === false ? [] : files)];
    return { files, ...runProgram(command!, argv, { env }) };
  }

  it('declares what pre-commit needs of a hook', () => {
    expect(hooks.map((h) => h.id)).toEqual(['kubeha', 'kubeha-files']);
    for (const h of hooks) {
      expect(h.name, h.id).toBeTruthy();
      expect(h.language).toBe('node');
      expect(h.entry).toBe('kubeha check');
      // Split into chunks run side by side, a PDB and its Deployment could be judged apart.
      expect(h.require_serial).toBe(true);
    }
  });

  it('kubeha checks the folders in args: a problem fails the commit, a clean folder passes', () => {
    const bad = runHook(hook('kubeha'), ['examples/bad-app'], ['README.md', 'examples/bad-app/api.yaml']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('pdb-blocks-eviction');
    const good = runHook(hook('kubeha'), ['examples/good-app'], ['examples/good-app/api.yaml']);
    expect(good.code, good.stdout + good.stderr).toBe(0);
  });

  it('kubeha-files checks the staged manifests only, and skips files that are not YAML or JSON', () => {
    const dir = 'examples/bad-app';
    const staged = ['README.md', ...readdirSync(join(ROOT, dir)).map((f) => `${dir}/${f}`)];
    const bad = runHook(hook('kubeha-files'), [], staged);
    expect(bad.files).not.toContain('README.md');
    expect(bad.files.length).toBe(staged.length - 1);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('single-replica');

    const goodDir = 'examples/good-app';
    const good = runHook(
      hook('kubeha-files'),
      [],
      readdirSync(join(ROOT, goodDir)).map((f) => `${goodDir}/${f}`),
    );
    expect(good.code, good.stdout + good.stderr).toBe(0);
  });
});
