import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './run.js';

// Issue 15, start-up: each command loads the modules it runs and no others (src/cli/main.ts). Run as
// users run kubeha, the built command in a child process; what Node loaded is read at exit from
// process.moduleLoadList. The simulator's worker threads and chaos' readline are the marks of two
// commands' modules. KUBEHA_BIN names another build to run instead (e.g. one in node_modules/.cache).
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
const BIN = resolve(ROOT, process.env['KUBEHA_BIN'] ?? pkg.bin['kubeha']!);

const dir = mkdtempSync(join(tmpdir(), 'kubeha-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const probe = join(dir, 'probe.cjs');
writeFileSync(
  probe,
  "process.on('exit', () => require('node:fs').writeFileSync(process.env.KUBEHA_PROBE_OUT, process.moduleLoadList.join('\\n')));\n",
);

/** The built-in modules Node loaded while running kubeha with `args`. */
function loadedBy(args: string[]): string[] {
  const out = join(dir, `loaded-${args.join('_').replace(/\W/g, '')}.txt`);
  const r = spawnSync(process.execPath, ['--require', probe, BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, NO_COLOR: '1', KUBEHA_PROBE_OUT: out },
  });
  expect(r.stderr).not.toMatch(/internal error/);
  return readFileSync(out, 'utf8')
    .split('\n')
    .filter((m) => m.startsWith('NativeModule ') && !m.startsWith('NativeModule internal/'))
    .map((m) => m.slice('NativeModule '.length));
}

describe.runIf(existsSync(BIN))('start-up of the built kubeha', () => {
  it('check loads neither the simulator worker threads nor chaos readline', () => {
    const loaded = loadedBy(['check', 'examples/good-app']);
    expect(loaded).not.toContain('worker_threads');
    expect(loaded).not.toContain('readline');
  });

  it('--version loads no command: no file reading beyond package.json, no worker, no readline', () => {
    const loaded = loadedBy(['--version']);
    expect(loaded).not.toContain('worker_threads');
    expect(loaded).not.toContain('readline');
    expect(loaded).not.toContain('fs/promises');
  });

  it('simulate still loads its worker threads (the probe sees what a command loads)', () => {
    expect(loadedBy(['simulate', 'examples/simulate/web.yaml', '--nodes', '3'])).toContain('worker_threads');
  });
});
