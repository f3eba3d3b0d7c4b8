// `npm pack` gives a tarball that installs globally and runs from anywhere: installed into a
// temporary prefix, kubeha checks the examples from another folder, the same as the clone's build,
// with the clone itself hidden (a private mount namespace lays an empty tmpfs over it), so nothing
// of the installed package may lean on the clone. `npm install -g .`, which the README used to say,
// links into the clone instead and breaks when the clone changes.
import { cpSync, existsSync, readFileSync, readdirSync, realpathSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rules } from '../../src/rules/index.js';
import { ROOT, installGlobal, mustRun, packTarball, pathWith, runProgram, tempDir } from './support.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

/** Runs a command with the clone replaced by an empty folder, for this process tree only. */
function withCloneHidden(command: string[], cwd: string, env: NodeJS.ProcessEnv) {
  return runProgram(
    'unshare',
    ['-m', 'sh', '-c', 'mount -t tmpfs kubeha-hidden "$0" && exec "$@"', ROOT, ...command],
    {
      cwd,
      env,
    },
  );
}

const canHide = runProgram('unshare', ['-m', 'true']).code === 0;

describe('npm pack', { timeout: 240_000 }, () => {
  let work: string;
  let tarball: string;
  let prefix: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    work = tempDir('pack');
    tarball = packTarball(work);
    prefix = join(work, 'prefix');
    installGlobal(tarball, prefix);
    env = { ...process.env, PATH: pathWith(join(prefix, 'bin')), NO_COLOR: '1' };
    // The user's own folder, outside the clone.
    cpSync(join(ROOT, 'examples'), join(work, 'project', 'examples'), { recursive: true });
  }, 240_000);
  afterAll(() => {
    // Left in /tmp on failure is fine; on success it goes.
    if (work) mustRun('rm', ['-rf', work]);
  }, 120_000);

  it('packs the built CLI, the rule pages explain reads, and nothing of the sources or tests', () => {
    const files = mustRun('tar', ['-tzf', tarball])
      .split('\n')
      .filter(Boolean)
      .map((f) => f.replace(/^package\//, ''));
    expect(files).toContain('package.json');
    expect(files).toContain('dist/cli/bin.js');
    expect(files).toContain('dist/cli/bundle.js');
    for (const r of rules) expect(files, r.id).toContain(`docs/rules/${r.id}.md`);
    expect(files.filter((f) => /^(src|test|bench|tools|examples|node_modules)\//.test(f))).toEqual([]);
  });

  it('installs copies, not links into the clone', () => {
    const installed = join(prefix, 'lib', 'node_modules', 'kubeha');
    for (const bin of ['kubeha', 'kubectl-ha']) {
      const target = realpathSync(join(prefix, 'bin', bin));
      expect(relative(installed, target).startsWith('..'), `${bin} -> ${target}`).toBe(false);
    }
    expect(realpathSync(installed).startsWith(ROOT)).toBe(false);
  });

  it.runIf(canHide)('runs from another folder with the clone hidden, as the clone build does', () => {
    const cwd = join(work, 'project');
    const hidden = withCloneHidden(['ls', '-A', ROOT], cwd, env);
    expect(hidden.stdout).toBe(''); // the clone really is out of reach

    for (const example of ['bad-app', 'good-app', 'seed']) {
      const args = ['check', `examples/${example}`, '-o', 'json', '--fail-on', 'none'];
      const installed = withCloneHidden(['kubeha', ...args], cwd, env);
      const clone = runProgram(process.execPath, [join(ROOT, 'dist', 'cli', 'bin.js'), ...args], {
        cwd,
        env,
      });
      expect(installed.stderr).toBe(clone.stderr);
      expect(installed.code, installed.stderr).toBe(0);
      expect(JSON.parse(installed.stdout).findings.length).toBeGreaterThan(example === 'good-app' ? -1 : 0);
      expect(installed.stdout).toBe(clone.stdout);
    }

    const text = withCloneHidden(['kubeha', 'check', 'examples/bad-app'], cwd, env);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('single-replica');

    const version = withCloneHidden(['kubectl-ha', '--version'], cwd, env);
    expect(version.stdout.trim()).toBe(pkg.version);

    // explain reads docs/rules/<id>.md from the package.
    const explain = withCloneHidden(['kubeha', 'explain', 'single-replica'], cwd, env);
    expect(explain.code, explain.stderr).toBe(0);
    expect(explain.stdout).toContain('single-replica');
    expect(explain.stdout.length).toBeGreaterThan(200);
  });

  it('leaves no file of the clone in the install', () => {
    const installed = join(prefix, 'lib', 'node_modules', 'kubeha');
    const top = readdirSync(installed).sort();
    expect(top).toEqual(expect.arrayContaining(['dist', 'docs', 'package.json', 'README.md']));
    expect(existsSync(join(installed, 'src'))).toBe(false);
  });
});
