import { spawn, spawnSync, type SpawnOptions } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { ROOT } from './run.js';

/**
 * The CLI as a separate process, for what needs one: a signal, two runs at once, another user.
 * The source is bundled once into node_modules/.cache (so its packages resolve from there), with
 * the OpenAPI schemas where the bundle looks for them. KUBEHA_FIX_WRITE_BIN runs another build
 * instead (an older one, to see a test fail on it).
 */
export async function cliBinary(): Promise<string> {
  const other = process.env['KUBEHA_FIX_WRITE_BIN'];
  if (other) return other;
  const out = join(ROOT, 'node_modules', '.cache', 'kubeha-fix-write-test');
  const schemas = join(out, 'model', 'openapi');
  mkdirSync(schemas, { recursive: true });
  for (const f of readdirSync(join(ROOT, 'src/model/openapi')).filter((f) => f.endsWith('.json')))
    copyFileSync(join(ROOT, 'src/model/openapi', f), join(schemas, f));
  const bin = join(out, 'cli', 'bin.mjs');
  await build({
    entryPoints: [join(ROOT, 'src/cli/bin.ts')],
    outfile: bin,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  return bin;
}

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts `kubeha args…` in `cwd`; `started` lets the caller act (send a signal) while it runs. */
export function runChild(
  bin: string,
  args: string[],
  options: { cwd: string; uid?: number; gid?: number },
  started?: (pid: number) => void,
): Promise<ChildResult> {
  const spawnOptions: SpawnOptions = {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.uid !== undefined ? { uid: options.uid } : {}),
    ...(options.gid !== undefined ? { gid: options.gid } : {}),
  };
  const child = spawn(process.execPath, [bin, ...args], spawnOptions);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  if (child.pid !== undefined) started?.(child.pid);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/**
 * Whether uid 65534 (nobody) can read the built CLI and what it imports: the tests that run as
 * another user need it, and a checkout under a private folder (mode 700) cannot give it. Those tests
 * are then skipped, saying why, rather than failing on where the repository lies.
 */
export function nobodyCanRun(bin: string): boolean {
  const probe = spawnSync(
    process.execPath,
    ['-e', 'for (const p of process.argv.slice(1)) require("fs").accessSync(p, 4)', bin, ROOT],
    { uid: 65534, gid: 65534, stdio: 'ignore' },
  );
  return probe.status === 0;
}
