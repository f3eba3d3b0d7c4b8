// Cases from kube-scheduler's pkg/scheduler/framework/plugins/nodeports/node_ports_test.go.
import { describe, expect, it } from 'vitest';
import { portsConflict } from '../../../src/simulate/scheduler/node-ports.js';

const p = (port: number, protocol = 'TCP', hostIP = '0.0.0.0') => ({ port, protocol, hostIP });

describe('NodePorts', () => {
  it('same udp port', () =>
    expect(portsConflict([p(8080, 'UDP', '127.0.0.1')], [p(8080, 'UDP', '127.0.0.1')])).toBe(true));
  it('different udp port', () =>
    expect(portsConflict([p(8080, 'UDP', '127.0.0.1')], [p(8081, 'UDP', '127.0.0.1')])).toBe(false));
  it('same port, different protocol', () =>
    expect(portsConflict([p(8080, 'TCP', '127.0.0.1')], [p(8080, 'UDP', '127.0.0.1')])).toBe(false));
  it('second tcp port conflict to 0.0.0.0', () =>
    expect(portsConflict([p(8001, 'TCP', '127.0.0.1')], [p(8001, 'TCP')])).toBe(true));
  it('different IPs do not conflict', () =>
    expect(portsConflict([p(8001, 'TCP', '127.0.0.1')], [p(8001, 'TCP', '127.0.0.2')])).toBe(false));
});
