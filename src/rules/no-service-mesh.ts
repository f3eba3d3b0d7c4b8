import { describeSignatures, detectAddons, kindsSearched, type AddonSignature } from '../model/addons.js';
import { clusterAnchor, listedAll } from '../model/live.js';
import { defineRule } from './define-rule.js';

interface Options {
  /** Services with a selector one namespace needs before its services are taken to call each other. */
  minServices: number;
}

/** The control planes and CRDs each mesh's standard install leaves (Helm charts and CLIs alike). */
const MESHES: readonly AddonSignature[] = [
  {
    addon: 'Istio',
    workloads: { kinds: ['Deployment'], names: ['istiod'], labels: [{ app: 'istiod' }] },
    crds: ['virtualservices.networking.istio.io', 'destinationrules.networking.istio.io'],
  },
  {
    addon: 'Linkerd',
    workloads: {
      kinds: ['Deployment'],
      names: ['linkerd-destination'],
      labels: [{ 'linkerd.io/control-plane-component': 'destination' }],
    },
    crds: ['*.linkerd.io'],
  },
  {
    addon: 'AWS App Mesh',
    workloads: { kinds: ['Deployment'], names: ['appmesh-controller'] },
    crds: ['*.appmesh.k8s.aws'],
  },
  {
    addon: 'Consul',
    workloads: {
      kinds: ['Deployment'],
      names: ['consul-connect-injector'],
      labels: [{ app: 'consul', component: 'connect-injector' }],
    },
    crds: ['*.consul.hashicorp.com'],
  },
];

/** Namespaces of the cluster itself: their Services (DNS, metrics) are not application traffic. */
const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease']);

export default defineRule<Options, 'noMesh'>({
  id: 'no-service-mesh',
  category: 'live',
  defaultSeverity: 'info',
  scope: 'live',
  guide: 'Use a Service Mesh',
  description:
    'Services that call each other with no service mesh get no retries, timeouts or circuit breaking outside the application.',
  needs: ['CustomResourceDefinition', 'Deployment', 'Service'],
  fixSafety: { kind: 'none', reason: 'a cluster fact: adopting a service mesh is an architecture choice' },
  messages: {
    noMesh: {
      headline: '{{services}} Services in {{namespaces}} run without a service mesh',
      detail:
        'They can call each other and no service mesh was found (looked for {{looked}}): retries, timeouts and circuit breaking are left to each application. Consider a mesh for service-to-service traffic.',
    },
  },
  defaultOptions: { minServices: 2 },
  optionsSchema: {
    type: 'object',
    properties: { minServices: { type: 'integer', minimum: 1 } },
    additionalProperties: false,
  },
  check({ index, settings, options, report }) {
    const cluster = settings.cluster;
    if (!cluster || !listedAll(cluster.listed, ['Service', ...kindsSearched(MESHES)])) return;
    // Several Services with selectors in one namespace are the parts of an application: they call each other.
    const perNamespace = new Map<string, number>();
    for (const svc of index.ofKind('Service')) {
      if (SYSTEM_NAMESPACES.has(svc.namespace) || !index.serviceSelector(svc)) continue;
      perNamespace.set(svc.namespace, (perNamespace.get(svc.namespace) ?? 0) + 1);
    }
    const busy = [...perNamespace]
      .filter(([, n]) => n >= options.minServices)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    if (busy.length === 0) return;
    // In a scan of one namespace the control planes elsewhere are out of sight, but the CRDs, which
    // every one of these meshes installs and which are cluster-scoped, still decide.
    if (detectAddons(index, MESHES).length > 0) return;
    const names = busy.map(([ns]) => ns);
    const shown =
      names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
    report({
      object: clusterAnchor(index),
      messageId: 'noMesh',
      data: {
        services: busy.reduce((sum, [, n]) => sum + n, 0),
        namespaces: `${names.length === 1 ? 'namespace' : 'namespaces'} ${shown}`,
        looked: describeSignatures(MESHES),
      },
    });
  },
});
