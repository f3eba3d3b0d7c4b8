// The README's "As a library" snippets, run against the package's entry (src/index.ts): the names
// they import exist and do what the README says.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  applyPatches,
  check,
  fix,
  formatters,
  parseManifests,
  shorthandTopology,
  simulate,
} from '../src/index.js';
import { ROOT } from './cli/run.js';

const file = 'examples/seed/spread-host-az.yaml';
const yamlText = readFileSync(join(ROOT, file), 'utf8');

describe('the library, as the README uses it', () => {
  const { objects, problems } = parseManifests(yamlText, 'k8s/web.yaml');
  const result = check(objects, { problems, kubeVersion: '1.31' });

  it('check: findings with lines and messages', () => {
    expect(result.findings.some((f) => f.rule === 'duplicate-key' && f.location?.line)).toBe(true);
    expect(
      formatters.json(result, {
        toolVersion: 'x',
        rules: [],
        color: false,
        failOn: 'error',
        docsBaseUrl: '',
      }),
    ).toContain('"version": 1');
  });

  it('simulate: a verdict per workload on the shorthand topology', () => {
    const report = simulate(objects, shorthandTopology({ nodes: 6, zones: 3 }), { scenarios: ['zone-loss'] });
    expect(report.workloads.map((w) => w.workload)).toEqual(['default/Deployment/spread-host-az']);
  });

  it('fix + applyPatches: the edited text, comments and untouched lines kept', () => {
    const { patches, notFixed } = fix(objects, result.findings, { zones: 3 });
    const { text } = applyPatches(yamlText, 'k8s/web.yaml', patches);
    expect(patches.length).toBeGreaterThan(0);
    expect(notFixed.length).toBeGreaterThan(0);
    expect(text).toContain('apiVersion: apps/v1');
    expect(text).not.toMatch(/^piVersion:/m);
    // The hostname term's trailing space, exactly as the guide prints it, survives.
    expect(text).toContain('topologyKey: kubernetes.io/hostname \n');
  });
});
