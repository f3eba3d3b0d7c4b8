import { describe, expect, it } from 'vitest';
import type { LoadResult } from '../../src/sources/files.js';
import { merge } from '../../src/cli/check.js';
import type { K8sObject } from '../../src/model/types.js';

// Issue 15, 100 000 small files: the CLI gathers every input's objects into one list. A spread push
// passes each element as an argument, and about 130 000 of them overflow the stack ("internal
// error: Maximum call stack size exceeded" instead of a report).
describe('gathering the inputs of check', () => {
  it('takes 200 000 objects, problems and files from one input without overflowing the stack', () => {
    const n = 200_000;
    const object = { id: 'v1/ConfigMap/default/a' } as unknown as K8sObject;
    const from: LoadResult = {
      objects: new Array<K8sObject>(n).fill(object),
      problems: new Array(n).fill({ rule: 'yaml-syntax', message: 'm', file: 'f', line: 1, column: 1 }),
      files: new Array<string>(n).fill('f.yaml'),
    };
    const into: LoadResult = { objects: [object], problems: [], files: ['first.yaml'] };
    merge(into, from);
    expect([into.objects.length, into.problems.length, into.files.length]).toEqual([n + 1, n, n + 1]);
    expect(into.files[0]).toBe('first.yaml');
  });
});
