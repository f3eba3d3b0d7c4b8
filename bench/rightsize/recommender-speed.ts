/**
 * How fast recommendContainers is on the load: 1 000 workloads × 3 containers × 14 days of
 * 1-minute samples (CPU and memory: 121 million samples). Run:
 *
 *   node_modules/.bin/esbuild bench/rightsize/recommender-speed.ts --bundle --platform=node \
 *     --format=esm --outfile=/tmp/vpa-speed.mjs && node /tmp/vpa-speed.mjs 1000
 *
 * Twenty distinct workloads are generated once and recommended in turn (the input is read only),
 * so the time measured is the recommender's, not the generator's. CPU seconds are reported beside
 * the wall clock: on a shared machine the wall clock mostly measures the neighbours.
 */
import type { ContainerUsage, UsageSample } from '../../src/model/usage.js';
import { recommendContainers } from '../../src/rightsize/vpa/index.js';

const workloads = Number(process.argv[2] ?? 1000);
const containers = 3;
const step = 60;
const samplesPerSeries = 14 * 1440;
const start = 1764547200;
let state = 7;
const random = (): number => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 4294967296;

function usageOf(w: number): ContainerUsage[] {
  const result: ContainerUsage[] = [];
  for (let c = 0; c < containers; c++) {
    const cpu: UsageSample[] = [];
    const memory: UsageSample[] = [];
    const base = 0.05 + (w % 17) * 0.1 + c * 0.3;
    const bytes = 1e8 * (1 + (w % 13) + c);
    for (let i = 0; i < samplesPerSeries; i++) {
      const time = start + i * step;
      // Busy eight hours a day, and memory that creeps up (every sample a new peak: the slow path).
      cpu.push({ time, value: base * (0.5 + random()) * (i % 1440 < 480 ? 2 : 1) });
      memory.push({ time, value: bytes * (0.9 + 0.2 * random()) + i * 1000 });
    }
    result.push({ pod: `w${w}-pod`, container: `c${c}`, cpu, memory, ooms: [] });
  }
  return result;
}

const distinct = Array.from({ length: 20 }, (_, w) => usageOf(w));
let samples = 0;
let recommendations = 0;
const wall = performance.now();
const cpu = process.cpuUsage();
for (let w = 0; w < workloads; w++) {
  const usage = distinct[w % distinct.length] ?? [];
  recommendations += recommendContainers(usage).length;
  samples += usage.reduce((sum, u) => sum + u.cpu.length + u.memory.length, 0);
}
const used = process.cpuUsage(cpu);
console.log(
  JSON.stringify({
    workloads,
    containers,
    days: 14,
    stepSeconds: step,
    samples,
    recommendations,
    wallSeconds: Number(((performance.now() - wall) / 1000).toFixed(2)),
    cpuSeconds: Number(((used.user + used.system) / 1e6).toFixed(2)),
  }),
);
