// Types for start.mjs, so that the TypeScript tests and benchmarks can use it.

export const PROMETHEUS: string;
export const PROMTOOL: string;

/** Whether tools/prometheus/build.sh has built prometheus and promtool. */
export function prometheusBuilt(): boolean;

/** Backfills OpenMetrics files into a TSDB directory with `promtool tsdb create-blocks-from openmetrics`. */
export function backfill(files: string[], dataDir: string): void;

export interface StartOptions {
  /** OpenMetrics text to backfill (series.mjs's toOpenMetrics). */
  openMetrics?: string;
  /** OpenMetrics files to backfill (series.mjs's writeOpenMetricsFile). */
  openMetricsFiles?: string[];
  /** A TSDB directory served in place (kept on stop). */
  blocksDir?: string;
  /** Where the TSDB goes (kept on stop); default a temporary directory, removed on stop. */
  dataDir?: string;
  /** --storage.tsdb.retention.time, default 30d. */
  retention?: string;
  /** Default: a free port on 127.0.0.1. */
  port?: number;
  readyTimeoutMs?: number;
  /** More prometheus flags. */
  args?: string[];
}

export interface RunningPrometheus {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  dataDir: string;
  logPath: string;
  pid: number | undefined;
  /** Stops Prometheus (SIGTERM, then SIGKILL after 10 s) and removes what start made. */
  stop(): Promise<void>;
}

export function startPrometheus(options?: StartOptions): Promise<RunningPrometheus>;
