import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';

const RULES = new Set(['single-replica']);

async function error(text: string): Promise<string> {
  const r = await parseConfig(text, '.kubeha.yaml', RULES);
  if (r.ok) throw new Error('expected an error');
  return r.error;
}

describe('.kubeha.yaml errors', () => {
  it('names an unknown top-level key, its line and the keys that exist', async () => {
    expect(await error('zones: 3\nfailon: warning\n')).toBe(
      '.kubeha.yaml:2: unknown key "failon" (known here: kubeVersion, zones, namespace, failOn, rules)',
    );
  });

  it('names an unknown key inside a rule setting', async () => {
    expect(await error('rules:\n  single-replica:\n    severity: info\n    level: x\n')).toBe(
      '.kubeha.yaml:4: unknown key "rules.single-replica.level" (known here: severity, options)',
    );
  });

  it('says what a rule setting may be', async () => {
    expect(await error('rules:\n  single-replica: loud\n')).toBe(
      '.kubeha.yaml:2: rules.single-replica: must be error, warning, info, off or { severity, options }',
    );
  });

  it('gives the line of a bad value and of a syntax error', async () => {
    expect(await error('\nzones: 0\n')).toBe('.kubeha.yaml:2: zones: must be >= 1');
    expect(await error('zones: 3\nrules: [\n')).toMatch(/^\.kubeha\.yaml:\d+: /);
  });

  it('accepts a valid file', async () => {
    const r = await parseConfig('zones: 3\nfailOn: warning\nrules:\n  single-replica: off\n', 'f', RULES);
    expect(r).toEqual({
      ok: true,
      config: { rules: { 'single-replica': { severity: 'off' } }, zones: 3, failOn: 'warning' },
    });
  });
});
