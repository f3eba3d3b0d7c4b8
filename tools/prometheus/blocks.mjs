// Writes generated series straight into TSDB blocks with tsdbwrite (tsdbwrite/main.go, built by
// build.sh), for histories too large for promtool's OpenMetrics import: the benchmark's 300 M
// samples. Series go over a pipe as a JSON header and binary float64s, one workload at a time, so
// neither side holds more than a workload's series.
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { endianness } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seriesOfWorkload, windowGrid } from './series.mjs';

export const TSDBWRITE = join(dirname(fileURLToPath(import.meta.url)), 'bin', 'tsdbwrite');

function record(s) {
  const header = Buffer.from(
    JSON.stringify({
      labels: { __name__: s.name, ...s.labels },
      start: s.startMs,
      step: s.stepMs,
      count: s.values.length,
    }),
  );
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  const values = Buffer.from(s.values.buffer, s.values.byteOffset, s.values.byteLength);
  return [length, header, values];
}

/**
 * Generates the workloads' series (series.mjs options) into TSDB blocks under `dir`; resolves with
 * the grid and the counts once tsdbwrite has flushed every block.
 */
export async function writeBlocks(dir, workloads, options = {}) {
  if (!existsSync(TSDBWRITE)) throw new Error(`no tsdbwrite at ${TSDBWRITE}: run 'npm run prometheus:build'`);
  // The Float64Arrays go over the pipe as they lie in memory; tsdbwrite reads little-endian.
  if (endianness() !== 'LE') throw new Error('tsdbwrite takes little-endian float64s');
  const grid = options.grid ?? windowGrid(options);
  const args = ['-out', dir];
  if (options.blockHours) args.push('-block-duration', `${options.blockHours}h`);
  const child = spawn(TSDBWRITE, args, { stdio: ['pipe', 'inherit', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = once(child, 'exit');
  let series = 0;
  let samples = 0;
  try {
    for (const w of workloads) {
      for (const s of seriesOfWorkload(w, { ...options, grid })) {
        series++;
        for (const v of s.values) if (!Number.isNaN(v)) samples++;
        for (const part of record(s)) {
          if (!child.stdin.write(part)) await Promise.race([once(child.stdin, 'drain'), exited]);
        }
      }
    }
  } finally {
    child.stdin.end();
  }
  const [code] = await exited;
  if (code !== 0) throw new Error(`tsdbwrite failed (${code}): ${stderr.trim()}`);
  return { grid, series, samples, log: stderr.trim() };
}
