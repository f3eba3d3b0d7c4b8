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

  it('works as the kubectl plugin, and explains a rule from the packaged docs', () => {
    expect(pkg.bin['kubectl-ha']).toBe(pkg.bin['kubeha']);
    const r = exec('kubectl-ha', ['explain', 'pdb-blocks-eviction']);
    expect(r.stdout).toContain('Why it matters');
    expect(r.status).toBe(0);
  });
});
