import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

// scripts/launcher.js is the shipped command: it runs bundle.js beside it. Here the bundle is a
// stand-in that keeps ~60 MB of small objects alive through many scavenges, as the loader keeps the
// objects it reads, and says how large V8 let the young generation grow meanwhile.
const STAND_IN = `(function (exports, require, module, __filename, __kubehaUrl) {
  const v8 = require('node:v8');
  const kept = [];
  let largest = 0;
  for (let i = 0; i < 600000; i++) {
    kept.push({ key: 'k' + i, value: [i, i + 1], nested: { name: 'n' + (i % 1000) } });
    if (i % 10000 === 0) {
      const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
      largest = Math.max(largest, young ? young.space_size : 0);
    }
  }
  process.stdout.write(JSON.stringify({ kept: kept.length, youngBytes: largest }));
})`;

describe('the launcher (scripts/launcher.js)', () => {
  it('keeps the young generation at its first size while many objects survive (peak memory)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeha-launcher-'));
    copyFileSync(join(ROOT, 'scripts', 'launcher.js'), join(dir, 'bin.mjs'));
    writeFileSync(join(dir, 'bundle.js'), STAND_IN);
    const r = spawnSync(process.execPath, [join(dir, 'bin.mjs')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { kept: number; youngBytes: number };
    expect(out.kept).toBe(600000);
    // V8 grows the semi-spaces to 16 MiB each (a 32+ MiB young generation) without the flag; with it
    // they stay at 1 MiB.
    expect(out.youngBytes).toBeGreaterThan(0);
    expect(out.youngBytes).toBeLessThanOrEqual(4 * 2 ** 20);
  });
});
