import { describe, expect, it } from 'vitest';
import {
  execSleepSeconds,
  preStopSleep,
  probeCheck,
  resolveProbePort,
  servingContainers,
} from '../../src/model/probes.js';
import { ObjectIndex } from '../../src/model/object-index.js';
import type { JsonObject } from '../../src/model/types.js';
import type { Container } from '../../src/model/workload.js';
import { parseManifests } from '../../src/sources/parse.js';
import { yaml } from '../rule-tester.js';

const container = (raw: JsonObject, kind: Container['kind'] = 'app'): Container => ({
  name: String(raw['name'] ?? 'app'),
  raw,
  path: '/spec/containers/0',
  kind,
});

describe('execSleepSeconds', () => {
  it.each([
    [['sleep', '5'], 5],
    [['/bin/sleep', '5s'], 5],
    [['/usr/bin/sleep', '1m'], 60],
    [['sleep', '1', '2'], 3], // GNU sleep sums its operands
    [['sleep', '0.5'], 0.5],
    [['sleep', 'infinity'], Infinity],
    [['busybox', 'sleep', '10'], 10],
    [['/usr/bin/env', 'sleep', '7'], 7],
    [['sh', '-c', 'sleep 5'], 5],
    [['/bin/sh', '-c', 'sleep 5 && nginx -s quit'], 5],
    [['bash', '-ec', 'echo draining; sleep 10; kill -TERM 1'], 10],
    [['/bin/ash', '-c', 'sleep 3; /bin/sleep 2'], 5],
    [['sh', '-c', 'if [ -f /tmp/x ]; then sleep 4; fi'], 4],
    [['dash', '-c', 'exec sleep 15'], 15],
  ])('%j sleeps %s s', (command, seconds) => {
    expect(execSleepSeconds(command)).toBe(seconds);
  });

  it.each([
    [['nginx', '-s', 'quit']],
    [['sleep']],
    [['sleep', '$(DELAY)']],
    [['sh', '-c', 'echo sleep 5']],
    [['sh', '-c', 'sleep "$DELAY"']],
    [['sh', 'script.sh']],
    [[]],
  ])('%j has no readable sleep', (command) => {
    expect(execSleepSeconds(command)).toBeUndefined();
  });
});

describe('preStopSleep', () => {
  it('reads the native sleep action and points at its seconds', () => {
    expect(preStopSleep(container({ lifecycle: { preStop: { sleep: { seconds: 5 } } } }))).toEqual({
      seconds: 5,
      path: '/spec/containers/0/lifecycle/preStop/sleep/seconds',
      native: true,
    });
  });
  it('reads an exec sleep and points at the command', () => {
    expect(
      preStopSleep(container({ lifecycle: { preStop: { exec: { command: ['sh', '-c', 'sleep 8'] } } } })),
    ).toEqual({ seconds: 8, path: '/spec/containers/0/lifecycle/preStop/exec/command', native: false });
  });
  it('is undefined for hooks that do not sleep', () => {
    expect(
      preStopSleep(container({ lifecycle: { preStop: { httpGet: { path: '/drain', port: 80 } } } })),
    ).toBe(undefined);
    expect(preStopSleep(container({}))).toBeUndefined();
  });
});

describe('resolveProbePort', () => {
  const c = container({ ports: [{ name: 'http', containerPort: 8080 }] });
  it('resolves numbers, own port names, and all-digit strings as the kubelet does', () => {
    expect(resolveProbePort(c, 9090)).toBe(9090);
    expect(resolveProbePort(c, 'http')).toBe(8080);
    expect(resolveProbePort(c, '8081')).toBe(8081);
    expect(resolveProbePort(c, 'metrics')).toBeUndefined();
  });
});

describe('probeCheck', () => {
  const c = container({ ports: [{ name: 'http', containerPort: 8080 }] });
  const key = (probe: JsonObject): string | undefined => probeCheck(c, probe)?.key;

  it('applies the API defaults (path "/", scheme HTTP) and resolves named ports', () => {
    expect(key({ httpGet: { port: 8080 } })).toBe(
      key({ httpGet: { path: '/', port: 'http', scheme: 'HTTP' } }),
    );
    expect(key({ httpGet: { path: 'healthz', port: 8080 } })).toBe(
      key({ httpGet: { path: '/healthz', port: 8080 } }),
    );
  });
  it('ignores timing and thresholds', () => {
    expect(key({ tcpSocket: { port: 8080 }, periodSeconds: 5, failureThreshold: 10 })).toBe(
      key({ tcpSocket: { port: 'http' } }),
    );
  });
  it('treats header names case-insensitively and in any order', () => {
    const a = {
      httpGet: {
        port: 80,
        httpHeaders: [
          { name: 'X-A', value: '1' },
          { name: 'X-B', value: '2' },
        ],
      },
    };
    const b = {
      httpGet: {
        port: 80,
        httpHeaders: [
          { name: 'x-b', value: '2' },
          { name: 'x-a', value: '1' },
        ],
      },
    };
    expect(key(a)).toBe(key(b));
  });
  it('tells different checks apart', () => {
    expect(key({ httpGet: { path: '/live', port: 8080 } })).not.toBe(
      key({ httpGet: { path: '/ready', port: 8080 } }),
    );
    expect(key({ httpGet: { port: 8080, scheme: 'HTTPS' } })).not.toBe(key({ httpGet: { port: 8080 } }));
    expect(key({ httpGet: { port: 8080, host: '127.0.0.1' } })).not.toBe(key({ httpGet: { port: 8080 } }));
    expect(key({ tcpSocket: { port: 8080 } })).not.toBe(key({ httpGet: { port: 8080 } }));
    expect(key({ grpc: { port: 9000 } })).not.toBe(key({ grpc: { port: 9000, service: 'readiness' } }));
    expect(key({ grpc: { port: 9000 } })).toBe(key({ grpc: { port: 9000, service: '' } }));
    expect(key({ exec: { command: ['a'] } })).not.toBe(key({ exec: { command: ['b'] } }));
  });
  it('is undefined without a handler', () => {
    expect(probeCheck(c, { periodSeconds: 5 })).toBeUndefined();
  });
});

describe('servingContainers', () => {
  const load = (text: string) => {
    const index = new ObjectIndex(parseManifests(text, 't.yaml').objects);
    const w = index.workloads[0]!;
    return { w, names: [...servingContainers(w, index.servicesFor(w))].map((c) => c.name).sort() };
  };
  const deployment = yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata: { name: web }
    spec:
      template:
        metadata: { labels: { app: web } }
        spec:
          initContainers:
            - { name: proxy, restartPolicy: Always, ports: [{ name: edge, containerPort: 15001 }] }
          containers:
            - { name: app, ports: [{ name: http, containerPort: 8080 }] }
            - { name: logs }
  `;
  const service = (ports: string) => `---
apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  selector: { app: web }
  ports: ${ports}
`;

  it('picks the container that declares the target port, by name or number', () => {
    expect(load(deployment + service('[{ port: 80, targetPort: http }]')).names).toEqual(['app']);
    expect(load(deployment + service('[{ port: 80, targetPort: 8080 }]')).names).toEqual(['app']);
    expect(load(deployment + service('[{ port: 8080 }]')).names).toEqual(['app']);
  });
  it('matches the protocol, as the endpoints controller does', () => {
    expect(load(deployment + service('[{ port: 80, targetPort: http, protocol: UDP }]')).names).toEqual([
      'app',
      'logs',
    ]);
  });
  it('counts every app container when the target port is undeclared or the Service has no ports', () => {
    expect(load(deployment + service('[{ port: 80, targetPort: 9999 }]')).names).toEqual(['app', 'logs']);
    expect(load(deployment + service('[]')).names).toEqual(['app', 'logs']);
  });
  it('counts the app containers behind a sidecar that owns the port', () => {
    expect(load(deployment + service('[{ port: 80, targetPort: edge }]')).names).toEqual([
      'app',
      'logs',
      'proxy',
    ]);
  });
});
