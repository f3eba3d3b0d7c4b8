import {
  ClusterUnreachable,
  connect,
  DEFAULT_REQUEST_TIMEOUT_MS,
  NoAnswer,
  type ClusterWriter,
} from '../sources/cluster-client.js';
import { duration, UsageError, type CliIO } from './io.js';

/** The flags every command that talks to a cluster takes, as kubectl spells them. */
export interface ConnectionFlags {
  kubeconfig?: string;
  context?: string;
  requestTimeout?: string;
}

export const REQUEST_TIMEOUT_HELP = `how long to wait for the API server to answer a request (connect, TLS, the answer's start, any silence while it streams): 30s, 1m; a bare number is seconds; 0 waits forever (default: ${DEFAULT_REQUEST_TIMEOUT_MS / 1000}s)`;

/** --request-timeout in ms: a duration ("30s", "1m") or, as kubectl and earlier kubeha take it, whole seconds. */
export function requestTimeout(value: string | undefined): number {
  if (value === undefined) return DEFAULT_REQUEST_TIMEOUT_MS;
  const text = value.trim();
  return /^\d+$/.test(text) ? Number(text) * 1000 : duration('--request-timeout', text);
}

/** Connects as the flags say, reading $KUBECONFIG and $HOME from the command's environment. */
export async function connectWithFlags(flags: ConnectionFlags, io: CliIO): Promise<ClusterWriter> {
  const timeoutMs = requestTimeout(flags.requestTimeout);
  try {
    return await connect({
      ...(flags.kubeconfig !== undefined ? { kubeconfig: flags.kubeconfig } : {}),
      ...(flags.context !== undefined ? { context: flags.context } : {}),
      timeoutMs,
      env: io.env,
    });
  } catch (e) {
    throw clusterUsageError(e);
  }
}

/** A cluster that cannot be reached is one line for the user (exit 2); anything else is rethrown as it is. */
export function clusterUsageError(e: unknown): unknown {
  if (e instanceof NoAnswer) return new UsageError(`${e.message} (--request-timeout waits longer)`);
  if (e instanceof ClusterUnreachable) return new UsageError(e.message);
  return e;
}
