// Types for blocks.mjs, so that the TypeScript benchmarks and tests can use it.
import type { Grid, SeriesOptions, WorkloadSpec } from './series.mjs';

export const TSDBWRITE: string;

export interface WrittenBlocks {
  grid: Grid;
  series: number;
  samples: number;
  /** tsdbwrite's report: the blocks and its own time. */
  log: string;
}

/** Generates the workloads' series straight into TSDB blocks under `dir` (for start.mjs's blocksDir). */
export function writeBlocks(
  dir: string,
  workloads: WorkloadSpec[],
  options?: SeriesOptions & {
    /** Block span (default 486, promtool's with --max-block-duration=744h). */ blockHours?: number;
  },
): Promise<WrittenBlocks>;
