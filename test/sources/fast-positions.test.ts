import { describe, expect, it } from 'vitest';
import { parseManifests, parseManifestsWithYaml } from '../../src/sources/parse.js';
import { yaml } from '../rule-tester.js';

/** Positions and plain texts of some paths, from the fast reader's loader and from `yaml`'s. */
function both(text: string, paths: string[]) {
  const fast = parseManifests(text, 'in.yaml').objects[0]!;
  const slow = parseManifestsWithYaml(text, 'in.yaml').objects[0]!;
  return paths.map((p) => ({
    path: p,
    fast: [fast.source!.locate(p), fast.source!.scalar?.(p)],
    slow: [slow.source!.locate(p), slow.source!.scalar?.(p)],
  }));
}

describe('positions in fast-read documents (src/sources/fast-positions.ts)', () => {
  it('walks block mappings and sequences past comments, literal blocks and same-column sequences', () => {
    const text = yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web # a comment
      # a comment less indented than the keys around it
        labels: {app: web, "tier": [a, 'b']}
      spec:
        template:
          spec:
            containers:
            - name: a
              args:
              - |
                name: not a key
                - not an item
              - yes
            -
              name: b
              env:
              - - x
                - 0777
            volumes:
      # a comment
            - name: v
      status: ~
    `;
    const paths = [
      '',
      '/metadata/name',
      '/metadata/labels/app',
      '/metadata/labels/tier/1',
      '/metadata/labels/tier/5',
      '/spec/template/spec/containers/0/args/0',
      '/spec/template/spec/containers/0/args/1',
      '/spec/template/spec/containers/1',
      '/spec/template/spec/containers/1/name',
      '/spec/template/spec/containers/1/env/0/1',
      '/spec/template/spec/containers/2',
      '/spec/template/spec/containers/1.0',
      '/spec/template/spec/volumes/0/name',
      '/spec/template/spec/name',
      '/status',
      '/status/x',
    ];
    for (const r of both(text, paths)) expect(r.fast, r.path).toEqual(r.slow);
    expect(both(text, ['/spec/template/spec/containers/1/env/0/1'])[0]!.fast[1]).toBe('0777');
  });

  it('costs the path asked for, not the whole document: no reading it again', () => {
    // One object with a 60 000-line ConfigMap-like mapping after its metadata: a finding's position
    // on metadata must not cost reading every line again (it did, for a tree of every key).
    const lines = Array.from({ length: 60_000 }, (_, i) => `  key${i}: value ${i}`).join('\n');
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n${lines}\n`;
    const time = (f: () => unknown): number => {
      const runs: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        f();
        runs.push(performance.now() - t);
      }
      return runs.sort((a, b) => a - b)[2]!;
    };
    let loaded = parseManifests(text, 'big.yaml').objects[0]!;
    const parse = time(() => (loaded = parseManifests(text, 'big.yaml').objects[0]!));
    // Each locate is on a freshly loaded object: nothing is cached from an earlier call.
    const fresh = Array.from({ length: 5 }, () => parseManifests(text, 'big.yaml').objects[0]!);
    let k = 0;
    const locate = time(() => fresh[k++]!.source!.locate('/metadata/name'));
    expect(loaded.source!.locate('/metadata/name')).toEqual({ line: 4, column: 3 });
    expect(locate).toBeLessThan(parse / 20);
  });
});
