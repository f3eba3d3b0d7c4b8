// Generates a cluster for the simulate benchmark: nodes over 3 zones, DaemonSets, and workloads with a
// realistic mix of zone spread constraints, hostname anti-affinity (required and preferred), Services
// and PodDisruptionBudgets. Deterministic (seeded), so every run measures the same input.

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function obj(apiVersion, kind, namespace, name, raw) {
  const full = { apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) }, ...raw };
  return {
    apiVersion,
    kind,
    name,
    namespace,
    id: namespace ? `${namespace}/${kind}/${name}` : `${kind}/${name}`,
    raw: full,
  };
}

/**
 * @param {{nodes: number, pods: number, zones?: number, mix?: 'realistic'|'zone-spread'|'anti-affinity', seed?: number}} o
 */
export function generate(o) {
  const random = rng(o.seed ?? 42);
  const zones = o.zones ?? 3;
  const mix = o.mix ?? 'realistic';
  const topology = { nodes: [], background: [] };
  for (let i = 0; i < o.nodes; i++) {
    const name = `node-${i + 1}`;
    topology.nodes.push({
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'topology.kubernetes.io/zone': `zone-${String.fromCharCode(97 + (i % zones))}`,
        'kubernetes.io/os': 'linux',
        'node.kubernetes.io/instance-type': 'm5.4xlarge',
      },
      taints: [],
      cpu: 15890,
      memory: 62 * 2 ** 30,
      pods: 110,
    });
  }
  const objects = [];
  let pods = 0;
  if (mix === 'realistic') {
    for (const ds of ['kube-proxy', 'aws-node', 'fluent-bit']) {
      objects.push(
        obj('apps/v1', 'DaemonSet', 'kube-system', ds, {
          spec: {
            selector: { matchLabels: { app: ds } },
            template: {
              metadata: { labels: { app: ds } },
              spec: {
                tolerations: [{ operator: 'Exists' }],
                containers: [
                  { name: ds, image: ds, resources: { requests: { cpu: '100m', memory: '128Mi' } } },
                ],
              },
            },
          },
        }),
      );
      pods += o.nodes;
    }
  }
  const namespaces = Math.max(1, Math.round(o.pods / 600));
  const sizes = mix === 'realistic' ? [2, 3, 3, 3, 4, 5, 6, 10, 12, 20, 30] : [10];
  let w = 0;
  while (pods < o.pods) {
    const ns = `team-${(w % namespaces) + 1}`;
    const name = `svc-${w + 1}`;
    const replicas = Math.min(o.pods - pods, sizes[Math.floor(random() * sizes.length)]);
    const labels = { app: name, tier: random() < 0.5 ? 'web' : 'api' };
    const cpu = [100, 200, 250, 500][Math.floor(random() * 4)];
    const mem = [128, 256, 512, 1024][Math.floor(random() * 4)];
    const kind = mix === 'realistic' ? random() : mix === 'zone-spread' ? 0.1 : 0.5;
    const spec = {
      containers: [
        { name: 'app', image: 'app:1', resources: { requests: { cpu: `${cpu}m`, memory: `${mem}Mi` } } },
      ],
    };
    if (kind < 0.4) {
      spec.topologySpreadConstraints = [
        {
          maxSkew: 1,
          topologyKey: 'topology.kubernetes.io/zone',
          whenUnsatisfiable: 'DoNotSchedule',
          labelSelector: { matchLabels: { app: name } },
        },
      ];
      if (mix === 'realistic')
        spec.topologySpreadConstraints.push({
          maxSkew: 1,
          topologyKey: 'kubernetes.io/hostname',
          whenUnsatisfiable: 'ScheduleAnyway',
          labelSelector: { matchLabels: { app: name } },
        });
    } else if (kind < 0.6) {
      spec.affinity = {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            { labelSelector: { matchLabels: { app: name } }, topologyKey: 'kubernetes.io/hostname' },
          ],
        },
      };
    } else if (kind < 0.8) {
      spec.affinity = {
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            {
              weight: 100,
              podAffinityTerm: {
                labelSelector: { matchLabels: { app: name } },
                topologyKey: 'kubernetes.io/hostname',
              },
            },
          ],
        },
      };
    }
    objects.push(
      obj('apps/v1', 'Deployment', ns, name, {
        spec: {
          replicas,
          selector: { matchLabels: { app: name } },
          template: { metadata: { labels }, spec },
        },
      }),
    );
    if (mix === 'realistic' && random() < 0.7)
      objects.push(
        obj('v1', 'Service', ns, name, { spec: { selector: { app: name }, ports: [{ port: 80 }] } }),
      );
    if (mix === 'realistic' && random() < 0.6 && replicas > 1)
      objects.push(
        obj('policy/v1', 'PodDisruptionBudget', ns, name, {
          spec:
            random() < 0.5
              ? { maxUnavailable: 1, selector: { matchLabels: { app: name } } }
              : { minAvailable: '50%', selector: { matchLabels: { app: name } } },
        }),
      );
    pods += replicas;
    w++;
  }
  return { objects, topology, workloads: w, pods };
}
