import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run, ROOT } from './run.js';

const temps: string[] = [];
function copyOf(example: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubeha-fixvoc-'));
  temps.push(dir);
  cpSync(join(ROOT, 'examples', example), dir, { recursive: true });
  return dir;
}
const snapshot = (dir: string): Record<string, string> =>
  Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));

afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

interface FixJson {
  version: number;
  rounds: { round: number; patches: unknown[] }[];
  notFixed: { rule: string }[];
  written?: string[];
  skipped?: unknown[];
}

describe('kubeha fix speaks the vocabulary of the other commands', () => {
  it('-o json prints what --dry-run=json prints, and changes nothing', async () => {
    const dir = copyOf('seed');
    const before = snapshot(dir);
    const o = await run(['fix', '.', '-o', 'json'], { cwd: dir });
    const d = await run(['fix', '.', '--dry-run=json'], { cwd: dir });
    expect(o.stdout).toBe(d.stdout);
    expect(o.code).toBe(d.code);
    expect((JSON.parse(o.stdout) as FixJson).rounds.length).toBeGreaterThan(0);
    expect(snapshot(dir)).toEqual(before);
  });

  it('-o json with --write writes, and says which files it wrote', async () => {
    const dir = copyOf('seed');
    const r = await run(['fix', '.', '--write', '-o', 'json'], { cwd: dir });
    const report = JSON.parse(r.stdout) as FixJson;
    expect(report.written).toEqual(['my-svc-pdb.yaml', 'spread-host-az.yaml']);
    expect(report.skipped).toEqual([]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'my-svc-pdb.yaml'), 'utf8')).toContain('policy/v1\n');
  });

  it('--fail-on makes what is left to decide fail the run', async () => {
    const dir = copyOf('seed');
    expect((await run(['fix', '.', '--write'], { cwd: dir })).code).toBe(0);
    // Left after the write: findings only the user can settle (a probe, an autoscaler, the PDB's target).
    expect((await run(['fix', '.'], { cwd: dir })).code).toBe(0);
    expect((await run(['fix', '.', '--fail-on', 'info'], { cwd: dir })).code).toBe(1);
    expect((await run(['fix', '.', '--fail-on', 'none'], { cwd: dir })).code).toBe(0);
    const bad = await run(['fix', '.', '--fail-on', 'loud'], { cwd: dir });
    expect(bad.code).toBe(2);
  });

  it('--disable-rule leaves a rule alone, as in check; --skip-rule still works', async () => {
    const dir = copyOf('seed');
    const all = JSON.parse((await run(['fix', '.', '-o', 'json'], { cwd: dir })).stdout) as FixJson;
    const rulesOf = (j: FixJson) =>
      new Set(j.rounds.flatMap((r) => (r.patches as { rule: string }[]).map((p) => p.rule)));
    expect(rulesOf(all).has('deprecated-api')).toBe(true);
    for (const flag of ['--disable-rule', '--skip-rule']) {
      const r = JSON.parse(
        (await run(['fix', '.', '-o', 'json', flag, 'deprecated-api'], { cwd: dir })).stdout,
      ) as FixJson;
      expect(rulesOf(r).has('deprecated-api'), flag).toBe(false);
    }
    const help = await run(['fix', '--help']);
    expect(help.stdout).toContain('--disable-rule <id>');
    expect(help.stdout).not.toContain('--skip-rule');
  });
});
