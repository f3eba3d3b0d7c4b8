import {
  chmodSync,
  chownSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  watch,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEMP_SUFFIX, writeFiles } from '../../src/cli/write-files.js';
import { cliBinary, nobodyCanRun, runChild } from './fix-write-child.js';
import { run } from './run.js';

/** A Deployment of one replica and no PDB: fix raises replicas (single-replica) and adds a PDB (missing-pdb). */
const deployment = (name: string, replicas = 1): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: web
          image: nginx:1.25
`;

const RAISED = 'replicas: 2';
const PDB = 'kind: PodDisruptionBudget';
const NODE_SPREAD = 'topologyKey: kubernetes.io/hostname';
const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;

const made: string[] = [];
afterAll(() => {
  for (const dir of made) {
    chmodSync(dir, 0o755);
    rmSync(dir, { recursive: true, force: true });
  }
});

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubeha-fix-write-'));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** Every file under `dir` whose name is one of kubeha's temporary files. */
function temporaries(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter(
    (f) => f.endsWith(TEMP_SUFFIX) || /\.kubeha-[0-9a-f]+\.tmp$/.test(f),
  );
}

describe("fix --write keeps what makes a file the user's", () => {
  it('writes through a symlink to its target: the link stays a link', async () => {
    const dir = tree({ 'real/web.yaml': deployment('web') });
    mkdirSync(join(dir, 'in'));
    symlinkSync('../real/web.yaml', join(dir, 'in', 'web.yaml'));
    const r = await run(['fix', 'in', '--write', '--rule', 'single-replica'], { cwd: dir });
    expect(r.stdout).toContain('fixed in/web.yaml\n');
    expect(lstatSync(join(dir, 'in', 'web.yaml')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'in', 'web.yaml'))).toBe('../real/web.yaml');
    expect(readFileSync(join(dir, 'real', 'web.yaml'), 'utf8')).toContain(RAISED);
    expect(r.code).toBe(0);
  });

  it('a file named twice (itself and a symlink to it) is written once, and both are reported fixed', async () => {
    const dir = tree({ 'in/a.yaml': deployment('web') });
    symlinkSync('a.yaml', join(dir, 'in', 'b.yaml'));
    const r = await run(['fix', 'in', '--write', '--rule', 'single-replica'], { cwd: dir });
    expect(r.stdout).toContain('fixed in/a.yaml\nfixed in/b.yaml\n');
    expect(lstatSync(join(dir, 'in', 'b.yaml')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'in', 'a.yaml'), 'utf8')).toContain(RAISED);
    expect(r.code).toBe(0);
  });

  it('keeps hard links: the file keeps its inode, and the other name sees the fix', async () => {
    const dir = tree({ 'in/web.yaml': deployment('web') });
    linkSync(join(dir, 'in', 'web.yaml'), join(dir, 'other-name.yaml'));
    const ino = statSync(join(dir, 'in', 'web.yaml')).ino;
    const r = await run(['fix', 'in', '--write', '--rule', 'single-replica'], { cwd: dir });
    expect(r.code).toBe(0);
    const after = statSync(join(dir, 'in', 'web.yaml'));
    expect(after.ino).toBe(ino);
    expect(after.nlink).toBe(2);
    expect(readFileSync(join(dir, 'other-name.yaml'), 'utf8')).toBe(
      readFileSync(join(dir, 'in', 'web.yaml'), 'utf8'),
    );
    expect(readFileSync(join(dir, 'other-name.yaml'), 'utf8')).toContain(RAISED);
    expect(temporaries(dir)).toEqual([]);
  });

  it('keeps the mode bits, whatever the umask', async () => {
    const dir = tree({ 'web.yaml': deployment('web') });
    chmodSync(join(dir, 'web.yaml'), 0o664);
    const umask = process.umask();
    process.umask(0o077);
    try {
      expect((await run(['fix', '.', '--write'], { cwd: dir })).code).toBe(0);
    } finally {
      process.umask(umask);
    }
    expect(statSync(join(dir, 'web.yaml')).mode & 0o7777).toBe(0o664);
    expect(readFileSync(join(dir, 'web.yaml'), 'utf8')).toContain(RAISED);
  });

  it.runIf(isRoot)('keeps the owner and group (run as root, on a file of another user)', async () => {
    const dir = tree({ 'web.yaml': deployment('web') });
    chownSync(join(dir, 'web.yaml'), NOBODY, NOBODY);
    expect((await run(['fix', '.', '--write'], { cwd: dir })).code).toBe(0);
    const after = statSync(join(dir, 'web.yaml'));
    expect([after.uid, after.gid]).toEqual([NOBODY, NOBODY]);
    expect(readFileSync(join(dir, 'web.yaml'), 'utf8')).toContain(RAISED);
  });

  it('refuses a file without write permission with one line, root included; --force-read-only writes it and keeps its mode', async () => {
    const text = deployment('web');
    const dir = tree({ 'web.yaml': text, 'api.yaml': deployment('api') });
    chmodSync(join(dir, 'web.yaml'), 0o444);
    const r = await run(['fix', '.', '--write', '--rule', 'single-replica'], { cwd: dir });
    expect(r.stdout.split('\n').filter((l) => l.includes('web.yaml'))).toEqual([
      'skipped web.yaml: read-only (its mode has no write bit); --force-read-only writes it anyway',
    ]);
    expect(r.stdout).toContain('fixed api.yaml\n');
    expect(r.stdout).toContain('1 file fixed, 1 file skipped, ');
    expect(readFileSync(join(dir, 'web.yaml'), 'utf8')).toBe(text);
    expect(r.code).toBe(1);

    const forced = await run(['fix', '.', '--write', '--rule', 'single-replica', '--force-read-only'], {
      cwd: dir,
    });
    expect(forced.stdout).toContain('fixed web.yaml\n');
    expect(readFileSync(join(dir, 'web.yaml'), 'utf8')).toContain(RAISED);
    expect(statSync(join(dir, 'web.yaml')).mode & 0o7777).toBe(0o444);
    expect(forced.code).toBe(0);
  });
});

describe('fix --write never overwrites an edit it did not read', () => {
  it('skips a file whose text changed since it was read, and leaves the edit', async () => {
    const dir = tree({ 'web.yaml': 'edited by the user\n' });
    const r = await writeFiles([
      { file: 'web.yaml', path: join(dir, 'web.yaml'), before: 'what kubeha read\n', after: 'fixed\n' },
    ]);
    expect(r).toEqual({
      written: [],
      skipped: [{ file: 'web.yaml', reason: 'changed since kubeha read it' }],
      notWritten: [],
    });
    expect(readFileSync(join(dir, 'web.yaml'), 'utf8')).toBe('edited by the user\n');
    expect(temporaries(dir)).toEqual([]);
  });

  it('skips a file another kubeha run is writing (its temporary file exists)', async () => {
    const dir = tree({ 'web.yaml': 'x: 1\n', [`.web.yaml${TEMP_SUFFIX}`]: 'the other run\n' });
    const r = await writeFiles([
      { file: 'web.yaml', path: join(dir, 'web.yaml'), before: 'x: 1\n', after: 'x: 2\n' },
    ]);
    expect(r.skipped[0]?.reason).toMatch(/^another kubeha run is writing it/);
    expect(readFileSync(join(dir, 'web.yaml'), 'utf8')).toBe('x: 1\n');
    expect(readFileSync(join(dir, `.web.yaml${TEMP_SUFFIX}`), 'utf8')).toBe('the other run\n');
  });
});

describe('fix --write as a process', () => {
  let bin: string;
  beforeAll(async () => {
    bin = await cliBinary();
  });

  it("two runs at once on one tree: every file ends with both runs' edits, or the run that left it out says so", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 120; i++) files[`w${String(i).padStart(3, '0')}.yaml`] = deployment(`web-${i}`, 2);
    const dir = tree(files);
    const [a, b] = await Promise.all([
      runChild(bin, ['fix', '.', '--write', '--rule', 'missing-pdb'], { cwd: dir }),
      runChild(bin, ['fix', '.', '--write', '--rule', 'no-node-spread'], { cwd: dir }),
    ]);
    const skippedBy = (out: string): Set<string> =>
      new Set([...out.matchAll(/^skipped (\S+): /gm)].map((m) => m[1]!));
    const skippedA = skippedBy(a.stdout);
    const skippedB = skippedBy(b.stdout);
    for (const name of Object.keys(files)) {
      const text = readFileSync(join(dir, name), 'utf8');
      expect(text.includes(PDB) || skippedA.has(name), `${name}: run A's edit`).toBe(true);
      expect(text.includes(NODE_SPREAD) || skippedB.has(name), `${name}: run B's edit`).toBe(true);
    }
    // A skip is a non-zero exit; a run that skipped nothing succeeds.
    expect(a.code).toBe(skippedA.size ? 1 : 0);
    expect(b.code).toBe(skippedB.size ? 1 : 0);
    expect(temporaries(dir)).toEqual([]);
  }, 120_000);

  it('a write that fails names every file written and every file not written, and leaves no temporary file', async (ctx) => {
    if (isRoot && !nobodyCanRun(bin)) ctx.skip(); // run as nobody, who cannot reach this checkout
    // A folder the run may not write into. Root may write anywhere, so the run is then made as nobody.
    const dir = tree({
      'a/1.yaml': deployment('one'),
      'a/2.yaml': deployment('two'),
      'b/3.yaml': deployment('three'),
      'b/4.yaml': deployment('four'),
    });
    const as = isRoot ? { uid: NOBODY, gid: NOBODY } : {};
    chmodSync(dir, 0o755);
    for (const f of ['a', 'a/1.yaml', 'a/2.yaml', 'b/3.yaml', 'b/4.yaml'])
      if (isRoot) chownSync(join(dir, f), NOBODY, NOBODY);
    chmodSync(join(dir, 'b'), 0o555);
    const r = await runChild(bin, ['fix', '.', '--write', '--rule', 'single-replica'], { cwd: dir, ...as });
    expect(r.stdout).toBe('fixed a/1.yaml\nfixed a/2.yaml\n');
    expect(r.stderr).toMatch(/^kubeha: cannot write b\/3\.yaml: EACCES: permission denied/);
    expect(r.stderr).toContain(
      '\nkubeha: written: a/1.yaml, a/2.yaml\nkubeha: not written: b/3.yaml, b/4.yaml\n',
    );
    expect(r.code).toBe(2);
    expect(readFileSync(join(dir, 'a/2.yaml'), 'utf8')).toContain(RAISED);
    expect(readFileSync(join(dir, 'b/3.yaml'), 'utf8')).toBe(deployment('three'));
    expect(temporaries(dir)).toEqual([]);
    chmodSync(join(dir, 'b'), 0o755);
  }, 60_000);

  it('SIGTERM in the middle of writing: no temporary file remains, and stderr names what was written and what was not', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 150; i++) files[`w${String(i).padStart(3, '0')}.yaml`] = deployment(`web-${i}`);
    const dir = tree(files);
    let pid: number | undefined;
    // The first file event in the folder is the first write: the signal comes while the rest wait.
    const watcher = watch(dir, () => {
      watcher.close();
      if (pid !== undefined) process.kill(pid, 'SIGTERM');
    });
    const r = await runChild(
      bin,
      ['fix', '.', '--write', '--rule', 'single-replica'],
      { cwd: dir },
      (p) => (pid = p),
    );
    watcher.close();
    expect(r.signal).toBe('SIGTERM');
    expect(r.stderr).toMatch(/^kubeha: stopped by SIGTERM\n/);
    expect(temporaries(dir)).toEqual([]);
    const written = /^kubeha: written: (.*)$/m.exec(r.stderr)?.[1];
    const notWritten = /^kubeha: not written: (.*)$/m.exec(r.stderr)?.[1];
    expect(written, r.stderr).toBeDefined();
    expect(notWritten, r.stderr).toBeDefined();
    const writtenSet = new Set(written === 'none' ? [] : written!.split(', '));
    const notWrittenSet = new Set(notWritten!.split(', '));
    // Every file is in exactly one list, and is what the list says: fixed, or as it was.
    for (const [name, text] of Object.entries(files)) {
      expect(writtenSet.has(name) !== notWrittenSet.has(name), name).toBe(true);
      const now = readFileSync(join(dir, name), 'utf8');
      if (writtenSet.has(name)) expect(now).toContain(RAISED);
      else expect(now).toBe(text);
    }
    expect(notWrittenSet.size).toBeGreaterThan(0);
  }, 120_000);
});
