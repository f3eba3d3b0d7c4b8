import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './run.js';

// Issue 14: a run that found no object at all checked nothing, and must not pass as a clean one.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubeha-empty-'));
  await writeFile(join(dir, 'README.md'), '# no manifests here\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const line = (where: string): string =>
  `kubeha: no Kubernetes objects found in ${where}: nothing to analyse (--allow-empty accepts an empty input)\n`;

describe('no objects found is exit 2 with one line, unless --allow-empty', () => {
  // A template that renders nothing: only comments, or empty documents.
  const RENDERED_NOTHING = '---\n# Source: chart/templates/deployment.yaml\n---\n';

  for (const command of ['check', 'simulate', 'fix']) {
    it(`${command}: an empty folder, empty stdin and a template that renders nothing`, async () => {
      for (const [args, stdin, where] of [
        [[command, '.'], undefined, '.'],
        [[command, '-f', '-'], '', 'stdin'],
        [[command, '-f', '-'], RENDERED_NOTHING, 'stdin'],
      ] as const) {
        const r = await run([...args], { cwd: dir, ...(stdin !== undefined ? { stdin } : {}) });
        expect(r.stderr, args.join(' ')).toBe(line(where));
        expect(r.stdout).toBe('');
        expect(r.code).toBe(2);
        const allowed = await run([...args, '--allow-empty'], {
          cwd: dir,
          ...(stdin !== undefined ? { stdin } : {}),
        });
        expect(allowed.code, `${args.join(' ')} --allow-empty`).toBe(0);
      }
    });
  }

  it('check --allow-empty reports the empty run as such', async () => {
    const r = await run(['check', '.', '--allow-empty', '-o', 'json'], { cwd: dir });
    expect(JSON.parse(r.stdout).findings).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('input that holds only problems is not empty: the problems are the findings', async () => {
    const r = await run(['check', '-f', '-', '-o', 'json'], { cwd: dir, stdin: 'kind: [\n' });
    expect(JSON.parse(r.stdout).findings.map((f: { rule: string }) => f.rule)).toEqual(['yaml-syntax']);
    expect(r.code).toBe(1);
  });
});
