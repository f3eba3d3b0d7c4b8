import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './run.js';

// The shipped binary is an esbuild bundle (scripts/bundle.mjs), not the modules the other tests
// import: run it as users do, through the package's bin entries. `npm test` builds it first.
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
};

describe.runIf(existsSync(join(ROOT, pkg.bin['kubeha']!)))('the built kubeha and kubectl-ha binaries', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubeha-bin-'));
  writeFileSync(
    join(dir, 'web.yaml'),
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 1}\n',
  );
  writeFileSync(join(dir, '.kubeha.yaml'), 'rules:\n  single-replica: warning\n');
  const exec = (bin: string, args: string[]) =>
    spawnSync(process.execPath, [join(ROOT, pkg.bin[bin]!), ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });

  it('checks a folder with its config file (ajv loads from node_modules on demand)', () => {
    const r = exec('kubeha', ['check', '.', '--rule', 'single-replica', '-o', 'json']);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).findings[0]).toMatchObject({ rule: 'single-replica', severity: 'warning' });
    expect(r.status).toBe(0);
  });

  it("keeps Node's own warnings off the user's terminal, and shows them with KUBEHA_DEBUG=1", () => {
    // A dependency that warns when it is loaded, as @kubernetes/client-node does on newer Nodes (its
    // punycode import): ajv is loaded on demand, for the folder's .kubeha.yaml.
    const warn = join(dir, 'warn.cjs');
    writeFileSync(
      warn,
      `const Module = require('node:module');
const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === 'ajv') process.emitWarning('a dependency is deprecated', 'DeprecationWarning');
  return load.call(this, request, ...rest);
};
`,
    );
    const run = (env: Record<string, string>) =>
      spawnSync(
        process.execPath,
        [
          '--require',
          warn,
          join(ROOT, pkg.bin['kubeha']!),
          'check',
          'web.yaml',
          '--rule',
          'single-replica',
          '-o',
          'json',
        ],
        {
          cwd: dir,
          encoding: 'utf8',
          env: { ...process.env, NO_COLOR: '1', ...env },
        },
      );
    const quiet = run({});
    expect(quiet.stderr).toBe('');
    expect(JSON.parse(quiet.stdout).findings).toHaveLength(1);
    expect(run({ KUBEHA_DEBUG: '1' }).stderr).toBe(
      'kubeha: debug: DeprecationWarning: a dependency is deprecated\n',
    );
  });

  it('works as the kubectl plugin, and explains a rule from the packaged docs', () => {
    expect(pkg.bin['kubectl-ha']).toBe(pkg.bin['kubeha']);
    const r = exec('kubectl-ha', ['explain', 'pdb-blocks-eviction']);
    expect(r.stdout).toContain('Why it matters');
    expect(r.status).toBe(0);
  });
});
