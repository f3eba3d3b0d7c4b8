import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/simulate/index.js';
import { parseManifests } from '../../src/sources/parse.js';
import { node, topo } from './harness.js';

/** The objects as loaded, with the loader's findings (.inf and .nan) left to check. */
const run = (text: string, topology: ReturnType<typeof topo>) =>
  simulate(parseManifests(text, 'numbers.yaml').objects, topology);

/**
 * A replica count or an HPA bound the API server cannot decode (1e308, .inf, 1.5: invalid-object's
 * findings) is read as unset, as the rules read it: the simulator neither runs 1e308 pods nor writes
 * the count as JavaScript does (1e+308, Infinity, NaN).
 */
const yaml = (replicas: string, min: string, max: string): string => `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: default }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: c, image: c:1, resources: { requests: { cpu: 100m, memory: 64Mi } } }]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: web, namespace: default }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  minReplicas: ${min}
  maxReplicas: ${max}`;

const nodes = topo([node('node-1', 'zone-a'), node('node-2', 'zone-b')]);

describe('simulate: numbers the API server cannot decode', () => {
  for (const bad of ['1e308', '.inf', '-.inf', '.nan', '1.5', '2147483648']) {
    it(`replicas ${bad}: one replica, and no number written as JavaScript writes it`, () => {
      const rep = run(yaml(bad, '1', '3'), nodes);
      expect(rep.placement[0]!.desired).toBe(1);
      expect(JSON.stringify(rep)).not.toMatch(/e\+\d|Infinity|NaN|null\)/);
    });
    it(`HPA minReplicas and maxReplicas ${bad}: the HPA's bounds are unset`, () => {
      const rep = run(yaml('2', bad, bad), nodes);
      expect(rep.placement[0]!.desired).toBe(2);
      expect(JSON.stringify(rep)).not.toMatch(/e\+\d|Infinity|NaN|null\)/);
    });
  }
});
