/**
 * The loader on generated manifests and byte strings: it never throws, every defect is a problem of
 * one of the three loader rules at a real position, every object it keeps is a Kubernetes object,
 * and no input takes long.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadText, type LoadResult } from '../../src/sources/files.js';
import { byteString, manifestText } from './generators.js';
import { bounded, holds, params, timeout } from './settings.js';

const LOADER_RULES = new Set(['yaml-syntax', 'duplicate-key', 'invalid-object']);
const CASE_MS = 3_000;

function expectWellFormed(result: LoadResult, text: string, name: string): void {
  const lines = text.split('\n').length;
  for (const p of result.problems) {
    expect(LOADER_RULES.has(p.rule), `problem of rule ${p.rule}`).toBe(true);
    expect(p.file).toBe(name);
    expect(typeof p.message === 'string' && p.message.length > 0).toBe(true);
    expect(Number.isInteger(p.line) && p.line >= 1 && p.line <= lines + 1, `line ${p.line} of ${lines}`).toBe(
      true,
    );
    expect(Number.isInteger(p.column) && p.column >= 1, `column ${p.column}`).toBe(true);
  }
  for (const o of result.objects) {
    for (const field of [o.apiVersion, o.kind, o.name]) expect(typeof field).toBe('string');
    expect(o.kind.length > 0 && o.apiVersion.length > 0).toBe(true);
    expect(o.raw !== null && typeof o.raw === 'object' && !Array.isArray(o.raw)).toBe(true);
    expect(o.source?.file).toBe(name);
    expect(Number.isInteger(o.source?.doc) && o.source!.doc >= 0).toBe(true);
    // Every path of the object can be located, in the text's range.
    const at = o.source!.locate('/spec/replicas');
    expect(at.line >= 1 && at.line <= lines + 1 && at.column >= 1, JSON.stringify(at)).toBe(true);
  }
  expect(result.files).toEqual([name]);
}

function load(text: string): void {
  const result = bounded('loadText', CASE_MS, () =>
    loadText(text, 'in.yaml', { defaultNamespace: 'default' }),
  );
  expectWellFormed(result, text, 'in.yaml');
}

describe('property: the loader', () => {
  it(
    'manifests with mutations (truncated, random bytes, anchors, tabs, duplicate keys, huge numbers, deep nesting)',
    () => {
      holds('loader-mutations', fc.property(manifestText, load), params(600, 3_000));
    },
    timeout(3_000),
  );

  it(
    'byte strings read as UTF-8',
    () => {
      holds('loader-bytes', fc.property(byteString, load), params(400, 1_500));
    },
    timeout(1_500),
  );

  it(
    'input over the size limit is one problem and no object',
    () => {
      holds(
        'loader-size-limit',
        fc.property(manifestText, fc.integer({ min: 0, max: 64 }), (text, limit) => {
          fc.pre(Buffer.byteLength(text) > limit);
          const result = loadText(text, '-', { maxFileBytes: limit });
          expect(result.objects).toEqual([]);
          expect(result.problems).toHaveLength(1);
          expect(result.problems[0]!.rule).toBe('yaml-syntax');
        }),
        params(100, 500),
      );
    },
    timeout(500),
  );
});
