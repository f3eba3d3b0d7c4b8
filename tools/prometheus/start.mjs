// Starts a real Prometheus (built by build.sh) on 127.0.0.1 serving backfilled history: OpenMetrics
// text or files go through `promtool tsdb create-blocks-from openmetrics` into a fresh TSDB, or an
// existing TSDB directory (the benchmark's) is served as it is. No scrape targets: what it serves
// is exactly what was backfilled.
//
// As a program, for a person to look at generated history:
//   node tools/prometheus/start.mjs [--shapes steady,spiky,growing,daily,oom] [--workloads 10]
//     [--containers 1] [--days 8] [--step 60] [--seed 1] [--port 9090]
//     [--openmetrics FILE]... [--blocks DIR] [--retention 30d]
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { workloadsOfShapes, writeOpenMetricsFile } from './series.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
export const PROMETHEUS = join(HERE, 'bin', 'prometheus');
export const PROMTOOL = join(HERE, 'bin', 'promtool');

/** Whether build.sh has built both programs. */
export function prometheusBuilt() {
  return existsSync(PROMETHEUS) && existsSync(PROMTOOL);
}

// promtool rounds --max-block-duration down to a compaction range (2h·3ⁿ): 486h (20¼ days) is the
// largest under a month, so a history of a few weeks makes one or two blocks instead of one per 2h,
// which backfills in one pass per block and leaves Prometheus nothing to compact.
const MAX_BLOCK_DURATION = '744h';

/** Backfills OpenMetrics files into a TSDB directory with promtool. */
export function backfill(files, dataDir) {
  mkdirSync(dataDir, { recursive: true });
  for (const file of files) {
    const r = spawnSync(
      PROMTOOL,
      [
        'tsdb',
        'create-blocks-from',
        'openmetrics',
        '--quiet',
        `--max-block-duration=${MAX_BLOCK_DURATION}`,
        file,
        dataDir,
      ],
      { encoding: 'utf8', maxBuffer: 64 << 20 },
    );
    if (r.error) throw new Error(`promtool: ${r.error.message}`);
    if (r.status !== 0)
      throw new Error(`promtool could not backfill ${file}: ${(r.stderr || r.stdout).trim()}`);
  }
}

async function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

function tail(path, lines = 15) {
  try {
    return readFileSync(path, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/**
 * Backfills (unless only `blocksDir` is given), starts Prometheus and resolves once /-/ready answers.
 * Options: openMetrics (text), openMetricsFiles, blocksDir (a TSDB served in place), dataDir (else a
 * temporary one, removed by stop()), retention (default 30d), port (default a free one),
 * readyTimeoutMs (default 60 000), args (more flags).
 */
export async function startPrometheus(options = {}) {
  if (!prometheusBuilt()) throw new Error(`no Prometheus at ${PROMETHEUS}: run 'npm run prometheus:build'`);
  const temporary = options.blocksDir === undefined && options.dataDir === undefined;
  const dataDir = resolve(
    options.blocksDir ?? options.dataDir ?? mkdtempSync(join(tmpdir(), 'kubeha-prometheus-')),
  );
  const workDir = mkdtempSync(join(tmpdir(), 'kubeha-prometheus-run-'));
  const cleanUp = () => {
    rmSync(workDir, { recursive: true, force: true });
    if (temporary) rmSync(dataDir, { recursive: true, force: true });
  };
  let child;
  try {
    const files = [...(options.openMetricsFiles ?? [])];
    if (options.openMetrics !== undefined) {
      const file = join(workDir, 'history.om.txt');
      writeFileSync(file, options.openMetrics);
      files.push(file);
    }
    if (files.length > 0) backfill(files, dataDir);

    const config = join(workDir, 'prometheus.yml');
    // Nothing to scrape: the history is all there is. The intervals only set what "stale" means.
    writeFileSync(config, 'global:\n  scrape_interval: 1m\n  evaluation_interval: 1m\nscrape_configs: []\n');
    const port = options.port ?? (await freePort());
    const logPath = join(workDir, 'prometheus.log');
    const log = openSync(logPath, 'w');
    child = spawn(
      PROMETHEUS,
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${dataDir}`,
        `--storage.tsdb.retention.time=${options.retention ?? '30d'}`,
        `--web.listen-address=127.0.0.1:${port}`,
        ...(options.args ?? []),
      ],
      { stdio: ['ignore', log, log] },
    );
    closeSync(log);
    let exited;
    child.on('exit', (code, signal) => (exited = signal ?? code));
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
    for (;;) {
      if (exited !== undefined)
        throw new Error(`Prometheus exited (${exited}) before it was ready:\n${tail(logPath)}`);
      try {
        const r = await globalThis.fetch(`${url}/-/ready`);
        if (r.ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline)
        throw new Error(`Prometheus at ${url} was not ready in time:\n${tail(logPath)}`);
      await sleep(200);
    }
    const started = child;
    return {
      url,
      port,
      dataDir,
      logPath,
      pid: started.pid,
      async stop() {
        if (exited === undefined) {
          const gone = new Promise((r) => started.once('exit', r));
          started.kill('SIGTERM');
          await Promise.race([gone, sleep(10_000, undefined, { ref: false })]);
          if (exited === undefined) started.kill('SIGKILL');
        }
        cleanUp();
      },
    };
  } catch (error) {
    child?.kill('SIGKILL');
    cleanUp();
    throw error;
  }
}

function parseArgs(argv) {
  const o = { openMetricsFiles: [] };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    switch (flag) {
      case '--shapes':
        o.shapes = value.split(',');
        break;
      case '--workloads':
      case '--containers':
      case '--days':
      case '--step':
      case '--port':
        o[flag.slice(2)] = Number(value);
        if (!Number.isFinite(o[flag.slice(2)])) throw new Error(`${flag} takes a number, got ${value}`);
        break;
      case '--seed':
      case '--retention':
        o[flag.slice(2)] = value;
        break;
      case '--openmetrics':
        o.openMetricsFiles.push(value);
        break;
      case '--blocks':
        o.blocksDir = value;
        break;
      default:
        throw new Error(`unknown flag ${flag}`);
    }
  }
  return o;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  let generated;
  if (o.blocksDir === undefined && o.openMetricsFiles.length === 0) {
    generated = mkdtempSync(join(tmpdir(), 'kubeha-history-'));
    const file = join(generated, 'history.om.txt');
    const workloads = workloadsOfShapes(o.workloads ?? 10, {
      shapes: o.shapes,
      containers: o.containers,
      seed: o.seed,
    });
    writeOpenMetricsFile(file, workloads, { days: o.days ?? 8, stepSeconds: o.step ?? 60, seed: o.seed });
    o.openMetricsFiles.push(file);
    console.error(`generated ${workloads.length} workloads in namespace rightsize (${file})`);
  }
  const p = await startPrometheus(o);
  console.log(p.url);
  const stop = async () => {
    await p.stop();
    if (generated) rmSync(generated, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(`start.mjs: ${e.message}`);
    process.exit(1);
  });
}
