import { execFileSync, spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nobodyCanRun } from './fix-write-child.js';
import { ROOT } from './run.js';

// Issue 14, reading input, run as users run kubeha: the built command in a child process, where
// hanging is the failure (every run has a timeout) and memory is measured from outside.
// KUBEHA_BIN names another build (e.g. tsc's output in node_modules/.cache) to run instead.
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
const BIN = resolve(ROOT, process.env['KUBEHA_BIN'] ?? pkg.bin['kubeha']!);
const TIME = '/usr/bin/time';
const TIMEOUT = 30_000;

const dir = mkdtempSync(join(tmpdir(), 'kubeha-hostile-cli-'));
chmodSync(dir, 0o755); // nobody runs in it below
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 1}\n';

function kubeha(
  args: string[],
  opts: { cwd?: string; uid?: number; gid?: number; input?: string } = {},
): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? dir,
    encoding: 'utf8',
    timeout: TIMEOUT,
    env: { ...process.env, NO_COLOR: '1' },
    ...(opts.input !== undefined ? { input: opts.input } : { stdio: ['ignore', 'pipe', 'pipe'] }),
    ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.gid! } : {}),
  });
}

/** Runs a shell line in `cwd`; GNU time's `%M` (peak RSS, KiB) comes back on stderr as rss=<n>. */
function shell(line: string, cwd = dir): SpawnSyncReturns<string> {
  return spawnSync('sh', ['-c', line], {
    cwd,
    encoding: 'utf8',
    timeout: TIMEOUT,
    env: { ...process.env, NO_COLOR: '1' },
  });
}
/** The command line of the built kubeha, under GNU time when the machine has it. */
const measured = (args: string): string =>
  `${existsSync(TIME) ? `${TIME} -f rss=%M ` : ''}"${process.execPath}" "${BIN}" ${args}`;
const peakKiB = (stderr: string): number | undefined => {
  const m = /rss=(\d+)/.exec(stderr);
  return m ? Number(m[1]) : undefined;
};
const noTrace = (r: SpawnSyncReturns<string>): void => {
  expect(r.signal, 'killed by the timeout: it hung').toBeNull();
  expect(r.stderr).not.toMatch(/internal error|\n\s+at |EPIPE/);
};

function folder(name: string): string {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  return d;
}

// Each test runs up to three commands, each with its own TIMEOUT: a hang fails at the first one.
describe.runIf(existsSync(BIN))('reading hostile input: the built kubeha', { timeout: 4 * TIMEOUT }, () => {
  it('a FIFO named x.yaml does not hang check or fix --write: a finding, and the other files are analysed and fixed', () => {
    const d = folder('fifo');
    writeFileSync(join(d, 'web.yaml'), DEPLOYMENT);
    execFileSync('mkfifo', [join(d, 'x.yaml')]);
    const c = kubeha(['check', '.', '--rule', 'yaml-syntax,single-replica'], { cwd: d });
    noTrace(c);
    expect(c.stdout).toContain('not a regular file (a FIFO): not read');
    expect(c.stdout).toContain('Deployment web runs 1 replica');
    expect(c.status).toBe(1);
    const f = kubeha(['fix', '.', '--write', '--rule', 'single-replica'], { cwd: d });
    noTrace(f);
    expect(f.stderr).toBe('kubeha: x.yaml:1:1: not a regular file (a FIFO): not read; not fixed\n');
    expect(f.stdout).toContain('fixed web.yaml');
    expect(readFileSync(join(d, 'web.yaml'), 'utf8')).toContain('replicas: 2');
    // A FIFO as the --pdb-file: refused in one line, not waited on.
    execFileSync('mkfifo', [join(dir, 'pdbs.yaml')]);
    const p = kubeha(['fix', '.', '--write', '--pdb-file', '../pdbs.yaml'], { cwd: d });
    noTrace(p);
    expect(p.stderr).toContain('kubeha: --pdb-file ../pdbs.yaml: not a regular file (a FIFO)\n');
    expect(p.status).toBe(2);
  });

  it('a symlink to /dev/zero is not read: a finding, in the memory of a small check', () => {
    const d = folder('zero');
    symlinkSync('/dev/zero', join(d, 'z.yaml'));
    writeFileSync(join(d, 'web.yaml'), DEPLOYMENT);
    const r = shell(measured('check . --rule yaml-syntax'), d);
    noTrace(r);
    expect(r.stdout).toContain('z.yaml');
    expect(r.stdout).toContain('not a regular file (a character device): not read');
    expect(r.status).toBe(1);
    if (existsSync(TIME)) expect(peakKiB(r.stderr)).toBeLessThan(300 * 1024); // it read 600 MB before
  });

  it('512 MiB on stdin stops at the limit while it is read: one finding, no internal error, bounded memory', () => {
    const r = shell(`head -c 536870912 /dev/zero | ${measured('check -f -')}`);
    noTrace(r);
    expect(r.stdout).toContain('input is over the 16.0 MiB limit: reading stopped there, not analysed');
    expect(r.stdout).toContain('Raise the limit with --max-file-size');
    expect(r.status).toBe(1);
    if (existsSync(TIME)) expect(peakKiB(r.stderr)).toBeLessThan(300 * 1024); // 1.1 GB before
  });

  it('a file without read permission is a finding at its path, even as root (run as nobody), and the rest is analysed', (ctx) => {
    if (process.getuid?.() === 0 && !nobodyCanRun(BIN)) ctx.skip(); // nobody cannot reach this checkout
    const d = folder('locked');
    chmodSync(d, 0o777);
    writeFileSync(join(d, 'web.yaml'), DEPLOYMENT, { mode: 0o644 });
    writeFileSync(join(d, 'locked.yaml'), DEPLOYMENT.replace('web', 'locked'), { mode: 0o644 });
    chmodSync(join(d, 'locked.yaml'), 0);
    // Root reads any file: the run is then nobody's (uid 65534), as an unprivileged user runs kubeha.
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const c = kubeha(['check', '.', '--rule', 'yaml-syntax,single-replica', '-o', 'json'], {
      cwd: d,
      ...asNobody,
    });
    noTrace(c);
    const findings = (
      JSON.parse(c.stdout) as { findings: { rule: string; message: string; location: { file: string } }[] }
    ).findings;
    expect(findings.map((f) => `${f.location.file}: ${f.rule}: ${f.message.split(':')[0]}`)).toEqual([
      'locked.yaml: yaml-syntax: cannot read',
      'web.yaml: single-replica: Deployment web runs 1 replica',
    ]);
    expect(findings[0]!.message).toBe('cannot read: permission denied');
    const f = kubeha(['fix', '.', '--rule', 'single-replica'], { cwd: d, ...asNobody });
    noTrace(f);
    expect(f.stderr).toBe('kubeha: locked.yaml:1:1: cannot read: permission denied; not fixed\n');
    expect(f.stdout).toContain('+spec: {replicas: 2}');
  });

  it('closed stdin (</dev/null, <&-) is an error exit with one line, not an empty success', () => {
    for (const r of [
      kubeha(['check', '-f', '-']),
      shell(`"${process.execPath}" "${BIN}" check -f - <&-`),
      shell(`true | "${process.execPath}" "${BIN}" simulate -f -`),
    ]) {
      noTrace(r);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(
        'kubeha: no Kubernetes objects found in stdin: nothing to analyse (--allow-empty accepts an empty input)\n',
      );
    }
  });

  it(
    'output to a closed pipe ends quietly: no EPIPE stack trace, the exit code of the run',
    async () => {
      const closedPipe = (args: string[]): Promise<{ code: number | null; stderr: string }> =>
        new Promise((resolve, reject) => {
          const child = spawn(process.execPath, [BIN, ...args], {
            cwd: ROOT,
            env: { ...process.env, NO_COLOR: '1' },
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          child.stdout.destroy(); // the reader is gone before kubeha writes a line (`| head -1` that already exited)
          let stderr = '';
          child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
          const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT);
          child.on('error', reject);
          child.on('close', (code) => {
            clearTimeout(timer);
            resolve({ code, stderr });
          });
        });
      const rules = await closedPipe(['rules']);
      expect(rules.stderr).toBe('');
      expect(rules.code).toBe(0);
      const check = await closedPipe(['check', 'examples/bad-app']);
      expect(check.stderr).not.toMatch(/EPIPE|\n\s+at /);
      expect(check.code).toBe(1); // the findings' exit code, as if the reader had read them
    },
    2 * TIMEOUT,
  );
});
