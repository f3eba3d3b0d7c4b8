import { describe, expect, it } from 'vitest';
import { deployment, node, run, topo } from './harness.js';

const three = () => topo([node('node-1', 'a'), node('node-2', 'b'), node('node-3', 'c')]);

const withProbe = (probe: string, ports = '') => `
containers:
  - name: web
    image: nginx
${ports}    ${probe}
`;

describe('a probe that can never pass', () => {
  it('a readinessProbe on an undeclared port name: never Ready, an outage at placement', () => {
    const spec = withProbe('readinessProbe: { httpGet: { path: /ready, port: http } }');
    const r = run(deployment('web', 3, spec), three(), { scenarios: ['node-loss'] });
    expect(r.scenarios[0]!.workloads[0]).toMatchObject({
      verdict: 'outage',
      minReady: 0,
      readyAfter: 0,
      pendingAfter: 0,
    });
    expect(r.scenarios[0]!.workloads[0]!.reason).toBe(
      '0 of 3 ready — the readinessProbe of container web uses port "http", which the container does not declare, so its pods never become Ready: declare the port under ports of container web or use its number; 3 of 3 scheduled on 3 nodes in 3 zones',
    );
    const lost = r.scenarios.find((s) => s.id === 'node-loss:node-1')!.workloads[0]!;
    expect(lost.reason).toMatch(/^0 of 3 ready — the readinessProbe of container web/);
    expect(r.workloads[0]).toMatchObject({ verdict: 'outage', scenario: 'placement' });
  });

  it('a startupProbe on an undeclared port name: never started, never Ready', () => {
    const spec = withProbe('startupProbe: { tcpSocket: { port: admin } }');
    const r = run(deployment('web', 2, spec), three(), { scenarios: [] });
    expect(r.scenarios[0]!.workloads[0]).toMatchObject({ verdict: 'outage', readyAfter: 0 });
  });

  it('declared port names, numbers and liveness probes leave readiness alone', () => {
    const declared = withProbe(
      'readinessProbe: { httpGet: { path: /, port: http } }',
      '    ports: [{ name: http, containerPort: 8080 }]\n',
    );
    const liveness = withProbe('livenessProbe: { httpGet: { path: /, port: http } }');
    const numeric = withProbe('readinessProbe: { tcpSocket: { port: 8080 } }');
    for (const spec of [declared, liveness, numeric]) {
      const r = run(deployment('web', 3, spec), three(), { scenarios: [] });
      expect(r.scenarios[0]!.workloads[0]).toMatchObject({ verdict: 'ok', readyAfter: 3 });
    }
  });
});
