/**
 * Exactness against VPA itself: golden/main.go ran VPA v1.8.1's own model and logic packages on the
 * scenarios of golden/scenarios.json (steady, spiky, growing, idle, OOM-killed, duplicated and
 * out-of-order samples, NaN and negative values, staggered pods, 1-minute and 1-hour steps, huge
 * values, memory without CPU) and wrote golden/expected.json. kubeha must give the same integers:
 * millicores and bytes, sample counts and confidence, to the last digit.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { recommendContainers } from '../../../src/rightsize/vpa/index.js';
import { generate, type ExpectedContainer, type Scenario } from './golden/generate.js';

const dir = new URL('./golden/', import.meta.url);
const { start, scenarios } = JSON.parse(readFileSync(new URL('scenarios.json', dir), 'utf8')) as {
  start: number;
  scenarios: Scenario[];
};
const expected = JSON.parse(readFileSync(new URL('expected.json', dir), 'utf8')) as Record<
  string,
  ExpectedContainer[]
>;

describe("the same numbers as VPA v1.8.1's own code", () => {
  it('has an expectation for every scenario', () => {
    expect(Object.keys(expected).sort()).toEqual(scenarios.map((s) => s.name).sort());
  });

  for (const scenario of scenarios) {
    it(scenario.name, () => {
      const recs = recommendContainers(generate(start, scenario));
      const actual = recs.map((r) => ({
        container: r.container,
        target: [Math.round(r.target.cpuCores! * 1000), r.target.memoryBytes],
        lowerBound: [Math.round(r.lowerBound.cpuCores! * 1000), r.lowerBound.memoryBytes],
        upperBound: [Math.round(r.upperBound.cpuCores! * 1000), r.upperBound.memoryBytes],
        totalSamplesCount: r.cpuSamples,
        confidence: r.confidence,
      }));
      expect(actual).toEqual(expected[scenario.name]);
    });
  }
});
