/**
 * Limits under the user's policy once requests change (docs/rightsize.md, "Limits"). Pure.
 */
import type { Amounts, ContainerResources, LimitsPolicy } from './types.js';

type Resource = 'cpuCores' | 'memoryBytes';
const NAMES: Record<Resource, string> = { cpuCores: 'cpu', memoryBytes: 'memory' };

/** The new limits for `requests` (the new requests), and what the user should know about them. */
export function limitsFor(
  policy: LimitsPolicy,
  current: ContainerResources,
  requests: Amounts,
): { limits: Amounts; notes: string[] } {
  const notes: string[] = [];
  const limit = (r: Resource): number | undefined => {
    const today = current.limits[r];
    const request = requests[r];
    switch (policy) {
      case 'none':
        return undefined;
      case 'equal':
        // Memory: the limit is the request (the pod is never killed for memory it was promised, nor
        // allowed more than the node reserved for it). CPU: no limit (over its request a container is
        // throttled, not killed, and a CPU limit only throttles it while the node has idle cores).
        return r === 'memoryBytes' ? (request ?? today) : undefined;
      case 'keep':
        if (today !== undefined && request !== undefined && request > today) {
          notes.push(
            `${NAMES[r]} limit raised to the new request (the API server refuses a limit below the request)`,
          );
          return request;
        }
        return today;
      case 'ratio': {
        const before = current.requests[r];
        if (today === undefined) return undefined;
        if (request === undefined || before === undefined || before <= 0) return today;
        return request * (today / before);
      }
    }
  };
  const cpu = limit('cpuCores');
  const memory = limit('memoryBytes');
  return {
    limits: {
      ...(cpu !== undefined ? { cpuCores: cpu } : {}),
      ...(memory !== undefined ? { memoryBytes: memory } : {}),
    },
    notes,
  };
}
