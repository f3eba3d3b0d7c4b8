// Helpers of the distribution tests: run a program, pack the npm package, install it globally into a
// temporary prefix. The tests pack the dist/ that `npm test` builds first (npm pack --ignore-scripts:
// the package's `prepare` would rebuild dist/, which other tests read meanwhile).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const ROOT = join(import.meta.dirname, '..', '..');
export const KREW = join(ROOT, 'tools', 'krew', 'bin', 'krew');
export const HELM = join(ROOT, 'tools', 'helm', 'bin', 'helm');
export const CHART = join(ROOT, 'charts', 'kubeha-serve');
export const KUBECTL_DIR = join(ROOT, 'tools', 'cluster', 'bin');

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runProgram(
  command: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {},
): Ran {
  const r = spawnSync(command, args, {
    cwd: opts.cwd ?? ROOT,
    env: opts.env ?? process.env,
    input: opts.input ?? '',
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Like runProgram, but a non-zero exit fails the test with what the program said. */
export function mustRun(
  command: string,
  args: string[],
  opts: Parameters<typeof runProgram>[2] = {},
): string {
  const r = runProgram(command, args, opts);
  if (r.code !== 0)
    throw new Error(`${command} ${args.join(' ')} exited ${r.code}\n${r.stderr}\n${r.stdout.slice(-4000)}`);
  return r.stdout;
}

export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `kubeha-${label}-`));
}

/** `npm pack` of the working tree into dest; returns the tarball's path. */
export function packTarball(dest: string): string {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'bin.js')))
    throw new Error('dist/ is not built: run `npm run build`');
  const out = mustRun('npm', [
    'pack',
    '--ignore-scripts',
    '--json',
    '--loglevel=error',
    '--pack-destination',
    dest,
  ]);
  const [packed] = JSON.parse(out) as { filename: string }[];
  return join(dest, packed!.filename);
}

/** `npm install -g` of a tarball into prefix (its own bin/ and lib/node_modules/). */
export function installGlobal(tarball: string, prefix: string): void {
  mustRun('npm', [
    'install',
    '-g',
    '--prefix',
    prefix,
    '--no-audit',
    '--no-fund',
    '--prefer-offline',
    '--loglevel=error',
    tarball,
  ]);
}

/** PATH with dir first and nothing of the clone's node_modules/.bin. */
export function pathWith(...dirs: string[]): string {
  const rest = (process.env.PATH ?? '').split(':').filter((d) => d && !d.startsWith(ROOT));
  return [...dirs, ...rest].join(':');
}

/**
 * The committed tree (HEAD) laid out in dest, as a checkout of this repository is: what GitHub
 * checks out for the action and what a builder gets as the Dockerfile's context. Work not yet
 * committed (by anyone sharing the working tree) stays out.
 */
export function checkoutHead(dest: string): void {
  // KUBEHA_DISTRIBUTION_REF: another commit to lay out (e.g. to try these tests while HEAD does not build).
  const ref = process.env.KUBEHA_DISTRIBUTION_REF ?? 'HEAD';
  mustRun('sh', ['-c', 'git archive --format=tar "$1" | tar -x -C "$0"', dest, ref]);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rendered Kubernetes objects
export type Obj = any;

/** `helm template` of the kubeha-serve chart as release kubeha-serve in namespace kubeha. */
export function renderChart(...set: string[]): {
  code: number | null;
  text: string;
  stderr: string;
  objects: Obj[];
} {
  const r = runProgram(HELM, [
    'template',
    'kubeha-serve',
    CHART,
    '--namespace',
    'kubeha',
    ...set.flatMap((s) => ['--set', s]),
  ]);
  const objects =
    r.code === 0
      ? parseAllDocuments(r.stdout)
          .map((d) => d.toJS() as Obj)
          .filter(Boolean)
      : [];
  return { code: r.code, text: r.stdout, stderr: r.stderr, objects };
}
