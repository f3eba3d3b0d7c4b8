// The krew plugin manifest (plugins/ha.yaml) is validated by krew itself, built from its Go module by
// tools/krew/build.sh: plugins/release.mjs makes the archive and the filled-in manifest from the
// packed npm package, krew installs them (`krew install --manifest --archive`, KREW_ROOT in a
// temporary folder) and `kubectl ha` then runs through kubectl's plugin lookup.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { KREW, KUBECTL_DIR, ROOT, mustRun, packTarball, pathWith, runProgram, tempDir } from './support.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
const built = existsSync(KREW) && existsSync(join(KUBECTL_DIR, 'kubectl'));
if (!built)
  console.warn('krew test skipped: run `bash tools/krew/build.sh` and `npm run cluster:build` first');

interface Manifest {
  metadata: { name: string };
  spec: { version: string; platforms: { uri: string; sha256: string; bin: string }[] };
}

describe.runIf(built)('the krew plugin', { timeout: 240_000 }, () => {
  let work: string;
  let out: string;
  let krewRoot: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    work = tempDir('krew');
    const tarball = packTarball(work);
    out = join(work, 'release');
    mustRun(process.execPath, [join(ROOT, 'plugins', 'release.mjs'), '--tarball', tarball, '--out', out]);
    krewRoot = join(work, 'krew-root');
    env = {
      ...process.env,
      KREW_ROOT: krewRoot,
      PATH: pathWith(join(krewRoot, 'bin'), KUBECTL_DIR),
      NO_COLOR: '1',
    };
  }, 240_000);
  afterAll(() => {
    if (work) mustRun('rm', ['-rf', work]);
  }, 120_000);

  it('release.mjs fills in the template: version, URL and the archive checksum, nothing else', () => {
    const template = parse(readFileSync(join(ROOT, 'plugins', 'ha.yaml'), 'utf8')) as Manifest;
    const released = parse(readFileSync(join(out, 'ha.yaml'), 'utf8')) as Manifest;
    const archive = `kubectl-ha-v${pkg.version}.tar.gz`;
    expect(readdirSync(out).sort()).toEqual(['ha.yaml', archive]);
    expect(released.spec.version).toBe(`v${pkg.version}`);
    const sha = mustRun('sha256sum', [join(out, archive)]).split(' ')[0];
    expect(released.spec.platforms[0]!.sha256).toBe(sha);
    expect(released.spec.platforms[0]!.uri.endsWith(`/v${pkg.version}/${archive}`)).toBe(true);
    const same = (m: Manifest) => ({
      ...m,
      spec: {
        ...m.spec,
        version: '',
        platforms: m.spec.platforms.map((p) => ({ ...p, uri: '', sha256: '' })),
      },
    });
    expect(same(released)).toEqual(same(template));
  });

  it('installs with krew from the local archive, and `kubectl ha` runs from anywhere', () => {
    const archive = join(out, `kubectl-ha-v${pkg.version}.tar.gz`);
    const install = runProgram(
      KREW,
      ['install', `--manifest=${join(out, 'ha.yaml')}`, `--archive=${archive}`],
      { env, cwd: work },
    );
    expect(install.code, install.stderr).toBe(0);
    expect(install.stderr).toContain('Installed plugin: ha');

    // krew's receipt of the installed plugin (`krew list` needs the index, which is not here).
    const receipt = parse(readFileSync(join(krewRoot, 'receipts', 'ha.yaml'), 'utf8')) as Manifest;
    expect(receipt.spec.version).toBe(`v${pkg.version}`);

    const version = runProgram('kubectl', ['ha', '--version'], { env, cwd: work });
    expect(version.stderr).toBe('');
    expect(version.stdout.trim()).toBe(pkg.version);

    const check = runProgram('kubectl', ['ha', 'check', join(ROOT, 'examples', 'good-app')], {
      env,
      cwd: work,
    });
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toContain('no HA problems found');
  });

  it('krew refuses an archive that does not match the manifest checksum', () => {
    const other = join(work, 'other.yaml');
    const manifest = readFileSync(join(out, 'ha.yaml'), 'utf8').replace(
      /sha256: '[0-9a-f]{64}'/,
      `sha256: '${'0'.repeat(64)}'`,
    );
    mustRun('sh', ['-c', 'cat > "$0"', other], { input: manifest });
    const r = runProgram(
      KREW,
      ['install', `--manifest=${other}`, `--archive=${join(out, `kubectl-ha-v${pkg.version}.tar.gz`)}`],
      {
        env: { ...env, KREW_ROOT: join(work, 'krew-root-2') },
        cwd: work,
      },
    );
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/sha256|checksum/i);
  });
});
