import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { Severity } from '../rules/types.js';
import { ClusterUnreachable, connect, type ClusterWriter } from '../sources/cluster-client.js';
import { analysisSettings } from './analysis-flags.js';
import { loadConfig } from './config-file.js';
import { duration, EXIT_OK, UsageError, wholeNumber, type CliIO } from './io.js';
import { sharedOption } from './options.js';

export interface ServeFlags {
  tlsCert?: string;
  tlsKey?: string;
  address?: string;
  port?: string;
  metricsPort?: string;
  denyOn?: string;
  clusterContext?: boolean;
  contextTtl?: string;
  scanInterval?: string;
  kubeconfig?: string;
  context?: string;
  config?: string;
  kubeVersion?: string;
  rule?: string[];
  disableRule?: string[];
  shutdownGrace?: string;
  maxBodyBytes?: string;
  maxInFlight?: string;
  leaderElect?: boolean;
  leaderElectLeaseName?: string;
  leaderElectNamespace?: string;
  leaderElectLeaseDuration?: string;
  leaderElectRenewDeadline?: string;
  leaderElectRetryPeriod?: string;
}

const DENY_ON = ['error', 'warning', 'info', 'none'] as const;

/**
 * Runs the admission webhook (and the metrics endpoint, and the periodic scan) until the process is
 * asked to stop; then drains requests in flight. The server code is loaded only here, so check and
 * scan never pay for it.
 */
export async function runServe(flags: ServeFlags, io: CliIO): Promise<number> {
  if (!flags.tlsCert || !flags.tlsKey)
    throw new UsageError(
      '--tls-cert and --tls-key are required: the API server calls webhooks over HTTPS only',
    );
  const port = wholeNumber('--port', flags.port ?? '8443', 0);
  const metricsPort =
    flags.metricsPort === 'off' ? undefined : wholeNumber('--metrics-port', flags.metricsPort ?? '9090', 0);
  const denyOn = (flags.denyOn ?? 'none') as Severity | 'none';
  if (!(DENY_ON as readonly string[]).includes(denyOn))
    throw new UsageError(`--deny-on must be one of ${DENY_ON.join(', ')} (got "${flags.denyOn}")`);
  const contextTtl = duration('--context-ttl', flags.contextTtl ?? '10s');
  const scanInterval = duration('--scan-interval', flags.scanInterval ?? '0');
  const grace = duration('--shutdown-grace', flags.shutdownGrace ?? '20s');
  const limits = {
    ...(flags.maxBodyBytes !== undefined
      ? { maxBodyBytes: wholeNumber('--max-body-bytes', flags.maxBodyBytes, 1) }
      : {}),
    ...(flags.maxInFlight !== undefined
      ? { maxInFlight: wholeNumber('--max-in-flight', flags.maxInFlight, 1) }
      : {}),
  };
  const timings = {
    leaseDurationMs: duration('--leader-elect-lease-duration', flags.leaderElectLeaseDuration ?? '15s'),
    renewDeadlineMs: duration('--leader-elect-renew-deadline', flags.leaderElectRenewDeadline ?? '10s'),
    retryPeriodMs: duration('--leader-elect-retry-period', flags.leaderElectRetryPeriod ?? '2s'),
  };
  const { timingsProblem } = await import('../serve/leader-election.js');
  const badTimings = timingsProblem(timings);
  if (badTimings) throw new UsageError(`--leader-elect-*: ${badTimings}`);
  const wantsCluster = flags.clusterContext !== false || scanInterval > 0;
  const config = await loadConfig(flags.config, io.cwd);
  const admission = analysisSettings(flags, config, ['static']);
  const scanning = analysisSettings(flags, config, ['static', 'live']);
  const path = (p: string): string => (isAbsolute(p) ? p : resolve(io.cwd, p));
  const readTls = async (): Promise<{ cert: Buffer; key: Buffer }> => {
    try {
      return { cert: await readFile(path(flags.tlsCert!)), key: await readFile(path(flags.tlsKey!)) };
    } catch (e) {
      throw new UsageError(
        `cannot read the TLS certificate or key: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  };
  const tls = await readTls();

  let client: ClusterWriter | undefined;
  if (wantsCluster) {
    try {
      client = await connect({
        ...(flags.kubeconfig !== undefined ? { kubeconfig: flags.kubeconfig } : {}),
        ...(flags.context !== undefined ? { context: flags.context } : {}),
      });
    } catch (e) {
      if (e instanceof ClusterUnreachable)
        throw new UsageError(`${e.message} (--no-cluster-context judges each object alone)`);
      throw e;
    }
  }

  const [
    { startServer },
    { ServeMetrics },
    { cachedContext, noContext },
    { startPeriodicScan, startElectedScan },
  ] = await Promise.all([
    import('../serve/server.js'),
    import('../serve/metrics.js'),
    import('../serve/context.js'),
    import('../serve/scanner.js'),
  ]);
  const log = (line: string): void => io.stderr(line + '\n');
  const metrics = new ServeMetrics();
  const server = await startServer({
    tls,
    address: flags.address ?? '0.0.0.0',
    port,
    ...(metricsPort !== undefined ? { metricsPort } : {}),
    context:
      client && flags.clusterContext !== false ? cachedContext(client, contextTtl, { log }) : noContext,
    settings: {
      rules: admission.selected.filter((r) => r.category !== 'simulation'),
      denyOn,
      ruleConfig: admission.ruleConfig,
      ...(admission.kubeVersion !== undefined ? { kubeVersion: admission.kubeVersion } : {}),
      ...(admission.zones !== undefined ? { zones: admission.zones } : {}),
    },
    metrics,
    log,
    limits,
  }).catch((e: unknown) => {
    throw new UsageError(`cannot listen: ${e instanceof Error ? e.message : String(e)}`);
  });
  log(
    `kubeha serve: admission webhook on ${server.admissionUrl} (deny on: ${denyOn})` +
      (server.metricsUrl ? `, metrics on ${server.metricsUrl}` : '') +
      (client ? `, cluster ${client.context}` : ', no cluster context'),
  );
  // Replicas elect one of them to scan (docs/serve.md, "Leader election"); every replica answers reviews.
  let scan: { stop(): void | Promise<void> } | undefined;
  if (client && scanInterval > 0) {
    const scanOptions = {
      client,
      intervalMs: scanInterval,
      rules: scanning.selected.filter((r) => r.category !== 'simulation'),
      metrics,
      log,
      ruleConfig: scanning.ruleConfig,
      ...(scanning.kubeVersion !== undefined ? { kubeVersion: scanning.kubeVersion } : {}),
      ...(scanning.zones !== undefined ? { zones: scanning.zones } : {}),
    };
    if (flags.leaderElect !== false) {
      const election = await import('../serve/leader-election.js');
      const namespace = flags.leaderElectNamespace ?? (await election.defaultNamespace(client.namespace));
      scan = startElectedScan({
        ...scanOptions,
        lease: election.clusterLeaseStore(
          client,
          namespace,
          flags.leaderElectLeaseName ?? 'kubeha-serve-scan',
        ),
        identity: election.defaultIdentity(),
        timings,
      });
    } else scan = startPeriodicScan(scanOptions);
  }

  // cert-manager renews the certificate in place: look for a new one every minute.
  let tlsStamp = await tlsMtime(path(flags.tlsCert), path(flags.tlsKey));
  const reload = setInterval(() => {
    void tlsMtime(path(flags.tlsCert!), path(flags.tlsKey!)).then(async (stamp) => {
      if (stamp === tlsStamp) return;
      tlsStamp = stamp;
      try {
        server.setTls(await readTls());
        log('kubeha serve: reloaded the TLS certificate');
      } catch (e) {
        log(`kubeha serve: kept the old TLS certificate: ${e instanceof Error ? e.message : String(e)}`);
      }
    });
  }, 60_000);
  reload.unref();

  const signal = await (io.untilStopped ?? (() => new Promise<string>(() => undefined)))();
  log(`kubeha serve: ${signal}: draining (up to ${grace / 1000} s)`);
  clearInterval(reload);
  await scan?.stop();
  await server.close(grace);
  return EXIT_OK;
}

async function tlsMtime(cert: string, key: string): Promise<string> {
  const times = await Promise.all(
    [cert, key].map((f) =>
      stat(f).then(
        (s) => s.mtimeMs,
        () => 0,
      ),
    ),
  );
  return times.join(':');
}

export function registerServe(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('serve')
    .description('run the admission webhook: check workloads as they are applied, and export HA metrics')
    .option('--tls-cert <file>', 'the serving certificate (PEM), e.g. from cert-manager (required)')
    .option('--tls-key <file>', 'its private key (PEM) (required)')
    .option('--address <ip>', 'address to listen on (default: 0.0.0.0)')
    .option('--port <port>', 'HTTPS port of the webhook (default: 8443)')
    .option('--metrics-port <port>', 'HTTP port of /metrics, or off (default: 9090)')
    .addOption(
      new Option(
        '--deny-on <severity>',
        'deny objects with findings at or above this severity, from rules that judge the object itself (default: none, warnings only)',
      ).choices(DENY_ON),
    )
    .option(
      '--no-cluster-context',
      "judge each object alone, without reading its namespace's PDBs, HPAs and Services",
    )
    .option(
      '--context-ttl <duration>',
      "without the watch right: how long a namespace's objects are kept between reads (default: 10s)",
    )
    .option(
      '--scan-interval <duration>',
      'scan the whole cluster this often for the kubeha_cluster_findings metric (default: 0, off)',
    )
    .option(
      '--no-leader-elect',
      'every replica runs the periodic scan itself, instead of the one that holds a Lease (default: elected when --scan-interval is set)',
    )
    .option(
      '--leader-elect-lease-name <name>',
      'the Lease the replicas elect the scanning one with (default: kubeha-serve-scan)',
    )
    .option(
      '--leader-elect-namespace <namespace>',
      "the Lease's namespace (default: the pod's, from POD_NAMESPACE or its service account, else the kubeconfig context's)",
    )
    .option(
      '--leader-elect-lease-duration <duration>',
      'how long the other replicas wait after the last renewal they saw before taking the lease over (default: 15s)',
    )
    .option(
      '--leader-elect-renew-deadline <duration>',
      'how long the leader tries to renew before it stops scanning (default: 10s)',
    )
    .option(
      '--leader-elect-retry-period <duration>',
      'how often replicas try to take or renew the lease (default: 2s)',
    )
    .option('--shutdown-grace <duration>', 'on SIGTERM, how long requests in flight may take (default: 20s)')
    .option(
      '--max-body-bytes <n>',
      'refuse a review body larger than this with 413 (default: 8388608, 8 MiB)',
    )
    .option(
      '--max-in-flight <n>',
      'answer 429 to a review that comes while this many are being read or judged (default: 32)',
    )
    .addOption(sharedOption('kubeconfig'))
    .addOption(sharedOption('context'))
    .addOption(sharedOption('config'))
    .addOption(sharedOption('kubeVersion'))
    .addOption(sharedOption('rule'))
    .addOption(sharedOption('disableRule'))
    .action(async (flags: ServeFlags) => setExit(await runServe(flags, io)));
}
