import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../src/rules/index.js';
import { ROOT, run } from './cli/run.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** ```console blocks: "$ kubeha …" then the exact output, and "# exit N" when it is not 0. */
function examples(): { command: string; args: string[]; output: string; exit: number }[] {
  const out = [];
  for (const m of readme.matchAll(/```console\n([\s\S]*?)```/g)) {
    const lines = m[1]!.split('\n');
    const command = lines[0]!;
    if (!command.startsWith('$ kubeha ')) continue;
    const exitLine = lines.findIndex((l) => /^# exit \d+$/.test(l));
    const body = exitLine >= 0 ? lines.slice(1, exitLine) : lines.slice(1);
    out.push({
      command,
      args: command.slice('$ kubeha '.length).trim().split(/\s+/),
      output: body.join('\n').replace(/\n*$/, '\n'),
      exit: exitLine >= 0 ? Number(lines[exitLine]!.slice('# exit '.length)) : 0,
    });
  }
  return out;
}

describe('README', () => {
  it('starts with the two set-up commands: run on the examples, pass the tests', () => {
    expect(readme).toContain('npm ci && npm run examples');
    expect(readme).toContain('npm ci && npm test');
  });

  it('lists every rule of the catalog', () => {
    for (const r of rules) expect(readme, r.id).toContain(`[\`${r.id}\`](docs/rules/${r.id}.md)`);
  });

  const cases = examples();
  it('has runnable examples', () => expect(cases.length).toBeGreaterThanOrEqual(3));
  for (const c of cases) {
    it(`example: ${c.command}`, async () => {
      const r = await run(c.args);
      expect(r.stdout.replace(/\n*$/, '\n')).toBe(c.output);
      expect(r.code).toBe(c.exit);
    });
  }
});
