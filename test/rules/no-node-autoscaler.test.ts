import rule from '../../src/rules/no-node-autoscaler.js';
import { SCAN_KINDS, testRule, yaml } from '../rule-tester.js';

const kubeSystem = yaml`
  apiVersion: v1
  kind: Namespace
  metadata: { name: kube-system }
`;

const node = (labels = '{ topology.kubernetes.io/zone: eu-west-1a }') => yaml`
  apiVersion: v1
  kind: Node
  metadata: { name: fail-node-1, labels: ${labels} }
`;

const deployment = (name: string, image: string, replicas = 1) => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata: { name: ${name}, namespace: kube-system }
  spec:
    replicas: ${replicas}
    selector: { matchLabels: { app: ${name} } }
    template:
      metadata: { labels: { app: ${name} } }
      spec: { containers: [{ name: main, image: ${image} }] }
`;

const docs = (...parts: string[]) => parts.join('---\n');

testRule(rule, {
  valid: [
    {
      name: 'a cluster-autoscaler Deployment (by image)',
      yaml: docs(
        kubeSystem,
        node(),
        deployment('pass-ca', 'registry.k8s.io/autoscaling/cluster-autoscaler:v1.30.0'),
      ),
    },
    {
      name: 'the Karpenter controller (by name)',
      yaml: docs(kubeSystem, node(), deployment('karpenter', 'public.ecr.aws/karpenter/controller:1.0.6')),
    },
    {
      name: 'the Karpenter NodePool CRD (EKS Auto Mode runs the controller out of sight)',
      yaml: docs(
        kubeSystem,
        node(),
        yaml`
          apiVersion: apiextensions.k8s.io/v1
          kind: CustomResourceDefinition
          metadata: { name: nodepools.karpenter.sh }
        `,
      ),
    },
    {
      name: 'nodes a Karpenter NodePool made',
      yaml: docs(kubeSystem, node('{ karpenter.sh/nodepool: default }')),
    },
    {
      name: 'GKE runs its autoscaler outside the cluster',
      yaml: docs(kubeSystem, node('{ cloud.google.com/gke-nodepool: default-pool }')),
    },
    {
      name: 'Fargate only: no node to add',
      yaml: docs(kubeSystem, node('{ eks.amazonaws.com/compute-type: fargate }')),
    },
    {
      name: 'Deployments could not be listed',
      yaml: docs(kubeSystem, node()),
      cluster: { listed: SCAN_KINDS.filter((k) => k !== 'Deployment') },
    },
    {
      name: 'a scan of one namespace: the autoscaler may run in another',
      yaml: docs(kubeSystem, node()),
      cluster: { namespace: 'shop' },
    },
    { name: 'kubeha check (no cluster facts)', yaml: docs(kubeSystem, node()), cluster: false },
  ],
  invalid: [
    {
      name: 'nothing scales the nodes: reported on kube-system',
      yaml: docs(node(), kubeSystem, deployment('coredns', 'registry.k8s.io/coredns/coredns:v1.11.1')),
      errors: [
        {
          object: 'kube-system',
          fixedName: true,
          messageId: 'missing',
          message: 'nodepools.karpenter.sh',
        },
      ],
    },
    {
      name: 'a cluster-autoscaler scaled to 0 scales nothing',
      yaml: docs(
        kubeSystem,
        node(),
        deployment('cluster-autoscaler', 'registry.k8s.io/autoscaling/cluster-autoscaler:v1.30.0', 0),
      ),
      errors: [{ object: 'kube-system', fixedName: true, messageId: 'missing' }],
    },
  ],
});
