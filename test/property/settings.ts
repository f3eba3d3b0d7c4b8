/**
 * How the property suite runs: a fixed seed and a time budget in `npm test`, longer or with another
 * seed when asked (docs/testing.md, "Property-based tests").
 *
 * - KUBEHA_PROPERTY_SEED: the seed of every property (default 20261204); a failure prints the seed
 *   and the path that replays it.
 * - KUBEHA_PROPERTY_RUNS: runs of each property instead of its CI count; the time budget is lifted
 *   (unless KUBEHA_PROPERTY_TIME_MS is set too).
 * - KUBEHA_PROPERTY_TIME_MS: the time budget of each property, in ms.
 */
import fc, { defaultReportMessage } from 'fast-check';

const fcCheck = fc.check as <T>(p: fc.IProperty<T>, params: fc.Parameters<T>) => fc.RunDetails<T>;
const fcCheckAsync = fc.check as <T>(
  p: fc.IAsyncProperty<T>,
  params: fc.Parameters<T>,
) => Promise<fc.RunDetails<T>>;
import { expect } from 'vitest';

export const SEED = intFromEnv('KUBEHA_PROPERTY_SEED') ?? 20261204;
const RUNS = intFromEnv('KUBEHA_PROPERTY_RUNS');
const TIME_MS = intFromEnv('KUBEHA_PROPERTY_TIME_MS');

function intFromEnv(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value))
    throw new Error(`${name} must be an integer, not ${JSON.stringify(text)}`);
  return value;
}

/**
 * fast-check parameters for one property: `runs` cases in CI, stopped without failing after
 * `budgetMs` (a loaded machine runs fewer cases, never a longer suite).
 */
export function params<T>(runs: number, budgetMs: number): fc.Parameters<T> {
  const limit = TIME_MS ?? (RUNS === undefined ? budgetMs : undefined);
  return {
    seed: SEED,
    numRuns: RUNS ?? runs,
    ...(limit !== undefined ? { interruptAfterTimeLimit: limit, markInterruptAsFailure: false } : {}),
  };
}

/** The vitest timeout of a test that runs properties worth `budgetMs`: the budget and room to shrink a failure. */
export function timeout(budgetMs: number): number {
  if (TIME_MS === undefined && RUNS !== undefined) return 24 * 3600_000;
  return (TIME_MS ?? budgetMs) * 2 + 30_000;
}

/**
 * Runs `body` and fails the case when it took longer than `boundMs`: a case that takes seconds is a
 * hang or a blow-up waiting for a larger input (the bounds are ~50× what a case takes on an idle
 * machine, so a loaded CI machine does not trip them).
 */
export function bounded<T>(what: string, boundMs: number, body: () => T): T {
  const started = performance.now();
  const result = body();
  const took = performance.now() - started;
  expect(took, `${what} took ${Math.round(took)} ms (bound ${boundMs} ms)`).toBeLessThan(boundMs);
  return result;
}

export async function boundedAsync<T>(what: string, boundMs: number, body: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await body();
  const took = performance.now() - started;
  expect(took, `${what} took ${Math.round(took)} ms (bound ${boundMs} ms)`).toBeLessThan(boundMs);
  return result;
}

const VERBOSE = process.env['KUBEHA_PROPERTY_VERBOSE'] !== undefined;

/**
 * fc.assert, and with KUBEHA_PROPERTY_VERBOSE set, a line saying how many cases ran before the
 * budget stopped it (to size the budgets).
 */
export function holds<T>(name: string, property: fc.IProperty<T>, parameters: fc.Parameters<T>): void {
  const details = fcCheck(property, parameters);
  report(name, details);
}

export async function holdsAsync<T>(
  name: string,
  property: fc.IAsyncProperty<T>,
  parameters: fc.Parameters<T>,
): Promise<void> {
  report(name, await fcCheckAsync(property, parameters));
}

function report<T>(name: string, details: fc.RunDetails<T>): void {
  if (VERBOSE)
    console.log(
      `property ${name}: ${details.numRuns} cases${details.interrupted ? ' (time budget reached)' : ''}, seed ${details.seed}`,
    );
  if (!details.failed) return;
  // The report names the seed, the path that replays the case and the shrunk counterexample; the
  // cause is the assertion that failed on it.
  const cause =
    details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  throw new Error(`${defaultReportMessage(details)}\n\nCause: ${cause}`);
}
