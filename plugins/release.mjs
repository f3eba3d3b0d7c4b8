// Builds kubeha's krew plugin from its npm package: the archive kubectl-ha-v<version>.tar.gz and the
// manifest ha.yaml (plugins/ha.yaml with the version, the release URL and the archive's sha256
// filled in). krew installs only what a manifest names by checksum, so the two are made together.
//
//   node plugins/release.mjs --tarball kubeha-0.1.0.tgz --out DIR [--url-base URL]
//
// The archive holds `kubectl-ha` (a shell script that runs kubeha with the `node` on the PATH) and
// `kubeha/` (the package as `npm install -g` lays it out, its dependencies inside), so the plugin
// needs nothing from npm at install time. test/distribution/krew.test.ts installs the result with
// krew itself. Reached: the npm registry (or npm's cache) for kubeha's dependencies.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

const DEFAULT_URL_BASE = 'https://github.com/kubeha/kubeha/releases/download';

function removeBinLinks(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) {
      if (entry.name === '.bin' || basename(dir) === '.bin') rmSync(path);
      else throw new Error(`${path} is a symlink, which krew cannot unpack`);
    } else if (entry.isDirectory()) {
      removeBinLinks(path);
      if (entry.name === '.bin' && readdirSync(path).length === 0) rmSync(path, { recursive: true });
    }
  }
}

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  if (i >= 0 && process.argv[i + 1]) return process.argv[i + 1];
  if (fallback !== undefined) return fallback;
  console.error(
    `usage: node plugins/release.mjs --tarball <kubeha-x.y.z.tgz> --out <dir> [--url-base <url>]`,
  );
  process.exit(2);
}

// Follows the link krew puts in $KREW_ROOT/bin to the real script in the plugin's store folder.
const LAUNCHER = `#!/bin/sh
# kubectl-ha: kubeha as a kubectl plugin (installed by krew). Runs the package beside this script.
here=$(dirname "$(readlink -f "$0")")
exec node "$here/kubeha/dist/cli/bin.js" "$@"
`;

const tarball = resolve(option('--tarball'));
const out = resolve(option('--out'));
const urlBase = option('--url-base', DEFAULT_URL_BASE).replace(/\/$/, '');

const work = mkdtempSync(join(tmpdir(), 'kubeha-krew-'));
try {
  const prefix = join(work, 'prefix');
  execFileSync(
    'npm',
    [
      'install',
      '-g',
      '--prefix',
      prefix,
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--loglevel=error',
      tarball,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const pkg = JSON.parse(readFileSync(join(prefix, 'lib', 'node_modules', 'kubeha', 'package.json'), 'utf8'));
  const version = `v${pkg.version}`;

  const stage = join(work, 'stage');
  mkdirSync(stage);
  cpSync(join(prefix, 'lib', 'node_modules', 'kubeha'), join(stage, 'kubeha'), { recursive: true });
  // krew unpacks regular files and folders only (a symlink is 'unable to handle file type'): npm's
  // node_modules/.bin links are commands for scripts, which kubeha does not run, so they go.
  removeBinLinks(join(stage, 'kubeha'));
  writeFileSync(join(stage, 'kubectl-ha'), LAUNCHER);
  chmodSync(join(stage, 'kubectl-ha'), 0o755);

  mkdirSync(out, { recursive: true });
  const archiveName = `kubectl-ha-${version}.tar.gz`;
  const archive = join(out, archiveName);
  // Sorted names, no owners and a fixed time: the same package gives the same archive and checksum.
  execFileSync('tar', [
    '--sort=name',
    '--mtime=@0',
    '--owner=0',
    '--group=0',
    '--numeric-owner',
    '-czf',
    archive,
    '-C',
    stage,
    'kubectl-ha',
    'kubeha',
  ]);
  const sha256 = createHash('sha256').update(readFileSync(archive)).digest('hex');

  const template = readFileSync(new URL('./ha.yaml', import.meta.url), 'utf8');
  const manifest = template
    .replace(/^(\s*version:) v0\.0\.0.*$/m, `$1 ${version}`)
    .replace(/^(\s*uri:) .*$/m, `$1 ${urlBase}/${version}/${archiveName}`)
    .replace(/^(\s*sha256:) .*$/m, `$1 '${sha256}'`);
  writeFileSync(join(out, 'ha.yaml'), manifest);
  console.log(`${archive}\n${join(out, 'ha.yaml')}\nsha256 ${sha256}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
