import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import { parseManifests } from '../../src/sources/parse.js';
import rule from '../../src/rules/no-service-mesh.js';
import { SCAN_KINDS, TEST_NOW, testRule, yaml } from '../rule-tester.js';

const kubeSystem = yaml`
  apiVersion: v1
  kind: Namespace
  metadata: { name: kube-system }
`;

const service = (name: string, namespace: string, selector = `{ app: ${name} }`) => yaml`
  apiVersion: v1
  kind: Service
  metadata: { name: ${name}, namespace: ${namespace} }
  spec: { selector: ${selector}, ports: [{ port: 80 }] }
`;

const shop = [service('web', 'shop'), service('cart', 'shop'), service('payments', 'shop')];

const deployment = (name: string, namespace: string, labels = `{ app: ${name} }`) => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata: { name: ${name}, namespace: ${namespace}, labels: ${labels} }
  spec: { template: { metadata: { labels: ${labels} }, spec: { containers: [{ name: c, image: i }] } } }
`;

const crd = (name: string) => yaml`
  apiVersion: apiextensions.k8s.io/v1
  kind: CustomResourceDefinition
  metadata: { name: ${name} }
`;

const docs = (...parts: string[]) => parts.join('---\n');

testRule(rule, {
  valid: [
    { name: 'Istio: istiod', yaml: docs(kubeSystem, ...shop, deployment('istiod', 'istio-system')) },
    {
      name: 'Istio: a revisioned istiod',
      yaml: docs(kubeSystem, ...shop, deployment('istiod-1-22', 'istio-system')),
    },
    { name: 'Istio: its CRDs', yaml: docs(kubeSystem, ...shop, crd('virtualservices.networking.istio.io')) },
    {
      name: 'Linkerd: the destination controller, by label',
      yaml: docs(
        kubeSystem,
        ...shop,
        deployment('l5d-dest', 'linkerd', '{ linkerd.io/control-plane-component: destination }'),
      ),
    },
    { name: 'Linkerd: a policy CRD', yaml: docs(kubeSystem, ...shop, crd('servers.policy.linkerd.io')) },
    {
      name: 'App Mesh: its controller',
      yaml: docs(kubeSystem, ...shop, deployment('appmesh-controller', 'appmesh-system')),
    },
    { name: 'App Mesh: a CRD', yaml: docs(kubeSystem, ...shop, crd('virtualnodes.appmesh.k8s.aws')) },
    {
      name: 'Consul: the Helm release prefix before connect-injector',
      yaml: docs(kubeSystem, ...shop, deployment('hashi-consul-connect-injector', 'consul')),
    },
    {
      name: 'one Service per namespace, system Services, and Services without a selector are not service-to-service traffic',
      yaml: docs(
        kubeSystem,
        service('web', 'shop'),
        service('api', 'blog'),
        service('kube-dns', 'kube-system', '{ k8s-app: kube-dns }'),
        service('metrics-server', 'kube-system', '{ k8s-app: metrics-server }'),
        yaml`
          apiVersion: v1
          kind: Service
          metadata: { name: db, namespace: shop }
          spec: { type: ExternalName, externalName: db.example.com }
        `,
      ),
    },
    {
      name: 'CRDs could not be listed: a mesh may be there',
      yaml: docs(kubeSystem, ...shop),
      cluster: { listed: SCAN_KINDS.filter((k) => k !== 'CustomResourceDefinition') },
    },
    { name: 'kubeha check (no cluster facts)', yaml: docs(kubeSystem, ...shop), cluster: false },
  ],
  invalid: [
    {
      name: 'three Services in one namespace and no mesh',
      yaml: docs(
        kubeSystem,
        ...shop,
        service('blog', 'blog'),
        deployment('web', 'shop'),
        crd('prometheuses.monitoring.coreos.com'),
      ),
      errors: [
        {
          object: 'kube-system',
          fixedName: true,
          messageId: 'noMesh',
          line: 1,
          data: { services: 3, namespaces: 'namespace shop' },
          message:
            'looked for Istio (Deployment istiod, label app=istiod, CRD virtualservices.networking.istio.io or destinationrules.networking.istio.io), Linkerd (Deployment linkerd-destination, label linkerd.io/control-plane-component=destination, CRD *.linkerd.io), AWS App Mesh (Deployment appmesh-controller, CRD *.appmesh.k8s.aws) and Consul (Deployment consul-connect-injector, label app=consul,component=connect-injector, CRD *.consul.hashicorp.com)',
        },
      ],
    },
    {
      name: 'a scan of one namespace: no mesh CRD, and CRDs are cluster-scoped',
      yaml: docs(kubeSystem, ...shop),
      cluster: { namespace: 'shop' },
      errors: [
        { object: 'kube-system', fixedName: true, data: { services: 3, namespaces: 'namespace shop' } },
      ],
    },
    {
      name: 'the threshold is an option',
      yaml: docs(kubeSystem, service('web', 'shop'), service('api', 'blog')),
      options: { minServices: 1 },
      errors: [
        {
          object: 'kube-system',
          fixedName: true,
          data: { services: 2, namespaces: 'namespaces blog, shop' },
        },
      ],
    },
  ],
});

/** The rule's findings as the engine renders them: `message` is the headline alone, `detail` the rest. */
const findings = (text: string) =>
  check(parseManifests(text, 'test.yaml').objects, {
    rules: [rule],
    cluster: { listed: new Set(SCAN_KINDS), now: TEST_NOW },
  }).findings;

describe('the headline stands alone', () => {
  it('counts the Services and names their namespaces; what was looked for and the advice are the detail', () => {
    const [f] = findings(docs(kubeSystem, ...shop));
    expect(f!.message).toBe('3 Services in namespace shop run without a service mesh');
    expect(f!.detail).toMatch(
      /^They can call each other and no service mesh was found \(looked for Istio .+\): retries, timeouts and circuit breaking are left to each application\. Consider a mesh for service-to-service traffic\.$/,
    );
  });
});
