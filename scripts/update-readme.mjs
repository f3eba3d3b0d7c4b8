// Re-runs every "$ kubeha …" example in README.md and writes its real output (and exit code) under it.
// test/readme.test.ts fails when the README and the tool disagree; this script is how to bring them back.
import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const readmePath = join(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');

const updated = readme.replace(/```console\n(\$ kubeha [^\n]*)\n[\s\S]*?```/g, (_, command) => {
  const args = command.slice('$ kubeha '.length).trim().split(/\s+/);
  const r = spawnSync(process.execPath, [join(root, 'dist/cli/bin.js'), ...args], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' },
    encoding: 'utf8',
  });
  const exit = r.status === 0 ? '' : `# exit ${r.status}\n`;
  return '```console\n' + command + '\n' + r.stdout.replace(/\n*$/, '\n') + exit + '```';
});
writeFileSync(readmePath, updated);
console.log(updated === readme ? 'README.md examples are up to date' : 'README.md examples updated');
