/**
 * `kubeha simulate` and `kubeha check --simulate` gate a build the same way: one --fail-on
 * vocabulary, one default, one mapping of verdicts to severities (src/simulate/severity.ts).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, run } from './run.js';

/** The yaml block under "## <heading>" of a rule page. */
function example(rule: string, heading: 'Bad' | 'Good'): string {
  const page = readFileSync(join(ROOT, 'docs/rules', `${rule}.md`), 'utf8');
  const section = page.split(/^## /m).find((s) => s.startsWith(heading))!;
  return /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
}

/** Inputs whose worst verdict is each of the four, on the default topology. */
const INPUTS: Record<string, string> = {
  outage: example('single-replica', 'Bad'),
  stuck: example('spread-counts-lost-nodes', 'Bad'),
  degraded: example('sim-degraded', 'Bad'),
  ok: example('spread-counts-lost-nodes', 'Good'),
};

const dir = mkdtempSync(join(tmpdir(), 'kubeha-fail-on-'));
for (const [name, text] of Object.entries(INPUTS)) writeFileSync(join(dir, `${name}.yaml`), text);

async function exitOf(args: string[]): Promise<number> {
  return (await run(args, { cwd: dir })).code;
}

describe('--fail-on: one meaning for simulate and check --simulate', () => {
  it('each input has the worst verdict it is named after', async () => {
    for (const name of Object.keys(INPUTS)) {
      const a = await run(['simulate', `${name}.yaml`, '-o', 'json', '--fail-on', 'none'], { cwd: dir });
      const worst = (JSON.parse(a.stdout) as { workloads: { verdict: string }[] }).workloads
        .map((w) => w.verdict)
        .sort(
          (x, y) =>
            ['ok', 'degraded', 'stuck', 'outage'].indexOf(y) -
            ['ok', 'degraded', 'stuck', 'outage'].indexOf(x),
        )[0];
      expect(worst, name).toBe(name);
    }
  });

  const expected: Record<string, Record<string, number>> = {
    // Outage and stuck are errors, degraded a warning; error is the default of both commands.
    default: { outage: 1, stuck: 1, degraded: 0, ok: 0 },
    error: { outage: 1, stuck: 1, degraded: 0, ok: 0 },
    warning: { outage: 1, stuck: 1, degraded: 1, ok: 0 },
    info: { outage: 1, stuck: 1, degraded: 1, ok: 0 },
    none: { outage: 0, stuck: 0, degraded: 0, ok: 0 },
  };
  for (const [failOn, byInput] of Object.entries(expected)) {
    it(`--fail-on ${failOn}: the same exit code from both commands`, async () => {
      const flag = failOn === 'default' ? [] : ['--fail-on', failOn];
      for (const [name, code] of Object.entries(byInput)) {
        const simulate = await exitOf(['simulate', `${name}.yaml`, ...flag]);
        const check = await exitOf([
          'check',
          `${name}.yaml`,
          '--simulate',
          '--rule',
          'sim-outage,sim-stuck,sim-degraded',
          ...flag,
        ]);
        expect({ name, simulate, check }).toEqual({ name, simulate: code, check: code });
      }
    });
  }

  it('simulate also takes a verdict: that verdict or worse fails', async () => {
    expect(await exitOf(['simulate', 'stuck.yaml', '--fail-on', 'outage'])).toBe(0);
    expect(await exitOf(['simulate', 'stuck.yaml', '--fail-on', 'stuck'])).toBe(1);
    expect(await exitOf(['simulate', 'degraded.yaml', '--fail-on', 'degraded'])).toBe(1);
  });
});

describe('simulate --scenario by name', () => {
  it('runs only the named node loss, and refuses an unknown kind', async () => {
    const a = await run(['simulate', 'stuck.yaml', '-s', 'zone-loss:zone-b', '-o', 'json'], { cwd: dir });
    const ids = (JSON.parse(a.stdout) as { scenarios: { id: string }[] }).scenarios.map((s) => s.id);
    expect(ids).toEqual(['placement', 'zone-loss:zone-b']);
    expect(a.code).toBe(1);
    const b = await run(['simulate', 'stuck.yaml', '-s', 'meteor:node-1'], { cwd: dir });
    expect(b.code).toBe(2);
  });
});
