import type { HostPort } from '../pod-spec.js';

/** NodePorts: a host port (protocol, IP) may be bound by one pod per node; 0.0.0.0 conflicts with every IP. */
export const REASON_NODE_PORTS = "node(s) didn't have free ports for the requested pod ports";

export function portsConflict(wanted: readonly HostPort[], used: readonly HostPort[]): boolean {
  for (const w of wanted) {
    for (const u of used) {
      if (w.port !== u.port || w.protocol !== u.protocol) continue;
      if (w.hostIP === u.hostIP || w.hostIP === '0.0.0.0' || u.hostIP === '0.0.0.0') return true;
    }
  }
  return false;
}
