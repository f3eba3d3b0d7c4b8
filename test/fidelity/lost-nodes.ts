/**
 * Losing kwok nodes the way the node lifecycle controller sees a node whose kubelet is gone. The kwok
 * controller plays every node's kubelet (kwokctl runs it with --manage-all-nodes, so a node cannot be
 * taken from it by a label or annotation), and every component authenticates with the same admin
 * certificate, so what a lost kubelet no longer writes is refused by content: a
 * ValidatingAdmissionPolicy, bound for the lost nodes only, refuses
 * - every renewal of their Leases (kube-node-lease), so that the node lifecycle controller, after its
 *   grace period, marks them Ready=Unknown and taints them node.kubernetes.io/unreachable (NoSchedule,
 *   and NoExecute for the taint-eviction controller);
 * - node status writes that would say Ready=True (kwok's node-initialize stage would put them back);
 * - pod status writes that turn a pod on them Ready again (the controller marked them not ready);
 * - the final DELETE of a pod that is already Terminating on them: that is the kubelet's confirmation
 *   that the containers stopped, so without it the pod stays Terminating, as on a real cluster. The
 *   first, graceful DELETE (the taint-eviction controller's, a preemption's) goes through.
 * The controllers' own writes (the Unknown condition, the taints, NotReady pods, DisruptionTarget,
 * graceful deletes) all pass. `restore` removes the policy; the caller then deletes the nodes.
 */
import { kubeCall, kubeRequest, type Kubeconfig } from '../../tools/cluster/kube.mjs';

const API = '/apis/admissionregistration.k8s.io/v1';

/** CEL checks, each true when the request is allowed; `variables.lost` lists the lost nodes. */
const VALIDATIONS: { expression: string; message: string }[] = [
  {
    expression: `request.resource.resource != 'leases' || !(object.metadata.name in variables.lost)`,
    message: 'the node is lost: its kubelet renews no Lease',
  },
  {
    expression:
      `request.resource.resource != 'nodes' || !(object.metadata.name in variables.lost) || ` +
      `!(has(object.status.conditions) && object.status.conditions.exists(c, c.type == 'Ready' && c.status == 'True'))`,
    message: 'the node is lost: its kubelet reports no Ready status',
  },
  {
    expression:
      `request.resource.resource != 'pods' || request.operation != 'UPDATE' || ` +
      `!(has(object.spec.nodeName) && object.spec.nodeName in variables.lost) || ` +
      `!(has(object.status.conditions) && object.status.conditions.exists(c, c.type == 'Ready' && c.status == 'True')) || ` +
      `(has(oldObject.status.conditions) && oldObject.status.conditions.exists(c, c.type == 'Ready' && c.status == 'True'))`,
    message: 'the node is lost: no kubelet makes its pods Ready',
  },
  {
    expression:
      `request.resource.resource != 'pods' || request.operation != 'DELETE' || ` +
      `!(has(oldObject.spec.nodeName) && oldObject.spec.nodeName in variables.lost) || ` +
      `!has(oldObject.metadata.deletionTimestamp)`,
    message: 'the node is lost: no kubelet confirms that the pod stopped',
  },
];

function policy(name: string, nodes: readonly string[]): unknown {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: {
        resourceRules: [
          {
            apiGroups: ['coordination.k8s.io'],
            apiVersions: ['*'],
            operations: ['CREATE', 'UPDATE'],
            resources: ['leases'],
          },
          { apiGroups: [''], apiVersions: ['*'], operations: ['UPDATE'], resources: ['nodes/status'] },
          {
            apiGroups: [''],
            apiVersions: ['*'],
            operations: ['UPDATE', 'DELETE'],
            resources: ['pods', 'pods/status'],
          },
        ],
      },
      variables: [{ name: 'lost', expression: JSON.stringify(nodes) }],
      validations: VALIDATIONS,
    },
  };
}

export interface LostNodes {
  /** Removes the policy: kwok plays the nodes' kubelet again (the caller deletes them). */
  restore(): Promise<void>;
}

/** Cuts the named nodes off: from now on they look to the control plane like nodes whose kubelet died. */
export async function loseNodes(kc: Kubeconfig, name: string, nodes: readonly string[]): Promise<LostNodes> {
  await kubeCall(kc, 'POST', `${API}/validatingadmissionpolicies`, policy(name, nodes));
  await kubeCall(kc, 'POST', `${API}/validatingadmissionpolicybindings`, {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name },
    spec: { policyName: name, validationActions: ['Deny'] },
  });
  return {
    restore: async () => {
      await kubeRequest(kc, 'DELETE', `${API}/validatingadmissionpolicybindings/${name}`);
      await kubeRequest(kc, 'DELETE', `${API}/validatingadmissionpolicies/${name}`);
    },
  };
}
