/**
 * The library's arguments, checked where a caller hands them in (docs/library.md, "Errors"). The
 * functions behind the entry trust their types; a JavaScript caller, or a TypeScript one with data
 * from JSON, may pass anything: `check("str")` used to succeed and `check(null)` to fail deep inside
 * with a bare TypeError. Here a wrong argument is a KubehaArgumentError naming the function, the
 * argument (down to the field or item) and what it must be.
 */

/** A wrong argument of a kubeha library function. A TypeError, as the built-ins throw for wrong types. */
export class KubehaArgumentError extends TypeError {
  override readonly name = 'KubehaArgumentError';
  constructor(
    /** The library function, e.g. `check`. */
    readonly functionName: string,
    /** The argument, down to the wrong part: `objects[2].kind`. */
    readonly argument: string,
    /** What it must be: `a string`. */
    readonly expected: string,
    /** What it was, in words: `null`, `the number 3`. */
    readonly got: string,
  ) {
    super(`kubeha ${functionName}(): ${argument} must be ${expected} (got ${got})`);
  }
}

interface Problem {
  path: string;
  expected: string;
  value: unknown;
}

/** What a value must be: `expected` says it in words, `problem` finds the first part that is not. */
export interface Shape {
  expected: string;
  problem(value: unknown, path: string): Problem | undefined;
}

/** A value in words, short: for the end of the message. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return `the ${typeof value} ${String(value)}`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  const name = (value as object).constructor?.name;
  if (name && name !== 'Object') return `a ${name}`;
  const keys = Object.keys(value);
  return keys.length === 0
    ? 'an empty object'
    : `an object with ${keys.slice(0, 5).join(', ')}${keys.length > 5 ? ', …' : ''}`;
}

const leaf = (expected: string, ok: (v: unknown) => boolean): Shape => ({
  expected,
  problem: (value, path) => (ok(value) ? undefined : { path, expected, value }),
});

export const string = leaf('a string', (v) => typeof v === 'string');
export const boolean = leaf('a boolean', (v) => typeof v === 'boolean');
export const func = leaf('a function', (v) => typeof v === 'function');
export const number = leaf('a finite number', (v) => typeof v === 'number' && Number.isFinite(v));
export const wholeNumber = (min: number): Shape =>
  leaf(`a whole number ≥ ${min}`, (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= min);
export const instanceOf = (expected: string, type: abstract new (...args: never[]) => unknown): Shape =>
  leaf(expected, (v) => v instanceof type);
export const oneOf = (values: readonly string[]): Shape =>
  leaf(`one of ${values.map((v) => JSON.stringify(v)).join(', ')}`, (v) => values.includes(v as string));

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function optional(shape: Shape): Shape {
  const expected = `${shape.expected}, or undefined`;
  return {
    expected,
    problem: (value, path) => {
      if (value === undefined) return undefined;
      const p = shape.problem(value, path);
      // Wrong as a whole: undefined would have done too. A part of it wrong: that part's problem.
      return p && p.path === path ? { ...p, expected } : p;
    },
  };
}

export function either(a: Shape, b: Shape): Shape {
  const expected = `${a.expected} or ${b.expected}`;
  return {
    expected,
    problem: (value, path) =>
      a.problem(value, path) === undefined || b.problem(value, path) === undefined
        ? undefined
        : { path, expected, value },
  };
}

/** An array whose items are each `item`; `expected` names the array. */
export function arrayOf(item: Shape, expected = `an array of ${item.expected}`): Shape {
  return {
    expected,
    problem: (value, path) => {
      if (!Array.isArray(value)) return { path, expected, value };
      for (let i = 0; i < value.length; i++) {
        const p = item.problem(value[i], `${path}[${i}]`);
        if (p) return p;
      }
      return undefined;
    },
  };
}

/** An object (not null, not an array) whose named fields have these shapes; other fields are free. */
export function object(expected: string, fields: Record<string, Shape> = {}): Shape {
  return {
    expected,
    problem: (value, path) => {
      if (!isPlainObject(value)) return { path, expected, value };
      for (const [key, shape] of Object.entries(fields)) {
        const p = shape.problem(value[key], `${path}.${key}`);
        if (p) return p;
      }
      return undefined;
    },
  };
}

/** An object used as a map: every value has the shape `value`. */
export function recordOf(value: Shape, expected = `an object of ${value.expected}`): Shape {
  return {
    expected,
    problem: (v, path) => {
      if (!isPlainObject(v)) return { path, expected, value: v };
      for (const [key, item] of Object.entries(v)) {
        const p = value.problem(item, `${path}[${JSON.stringify(key)}]`);
        if (p) return p;
      }
      return undefined;
    },
  };
}

/** Throws the KubehaArgumentError of the first argument that does not have its shape. */
export function checkArguments(
  functionName: string,
  args: readonly unknown[],
  shapes: readonly (readonly [name: string, shape: Shape])[],
): void {
  for (let i = 0; i < shapes.length; i++) {
    const [name, shape] = shapes[i]!;
    const p = shape.problem(args[i], name);
    if (p) throw new KubehaArgumentError(functionName, p.path, p.expected, describeValue(p.value));
  }
}

/**
 * `f` with its arguments checked first. An async `f` rejects with the error rather than throwing it,
 * as it would for any other failure.
 */
export function guarded<A extends unknown[], R>(
  functionName: string,
  f: (...args: A) => R,
  shapes: readonly (readonly [name: string, shape: Shape])[],
  kind: 'sync' | 'async' = 'sync',
): (...args: A) => R {
  if (kind === 'async')
    return (...args: A): R => {
      try {
        checkArguments(functionName, args, shapes);
      } catch (e) {
        return Promise.reject(e) as R;
      }
      return f(...args);
    };
  return (...args: A): R => {
    checkArguments(functionName, args, shapes);
    return f(...args);
  };
}
