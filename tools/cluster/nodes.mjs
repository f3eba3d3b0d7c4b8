#!/usr/bin/env node
// Creates kwok nodes from a topology file: a YAML stream of Node objects, or a `kind: List` /
// `NodeList` as `kubectl get nodes -o yaml` prints it. Zones and other labels, taints and
// capacity/allocatable are kept; what belongs to a live node (uid, resourceVersion, conditions,
// images, …) is dropped, and each node gets the annotation kwok.x-k8s.io/node=fake so that the
// kwok controller plays its kubelet (it then marks the node Ready and runs its pods).
//
//   node tools/cluster/nodes.mjs apply  TOPOLOGY.yaml [--kubeconfig PATH] [--wait]
//   node tools/cluster/nodes.mjs delete TOPOLOGY.yaml [--kubeconfig PATH]
//
// The kubeconfig defaults to $KUBEHA_E2E_KUBECONFIG, then to the one `npm run cluster:up` wrote.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { kubeCall, kubeRequest, loadKubeconfig } from './kube.mjs';

export const FIELD_MANAGER = 'kubeha-cluster-nodes';
export const KWOK_ANNOTATION = 'kwok.x-k8s.io/node';
export const DEFAULT_KUBECONFIG = resolve(dirname(fileURLToPath(import.meta.url)), '.work', 'kubeconfig');

const LIVE_METADATA = [
  'uid',
  'resourceVersion',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'generation',
  'managedFields',
  'selfLink',
  'ownerReferences',
  'finalizers',
];
const LIVE_ANNOTATIONS = [
  'node.alpha.kubernetes.io/ttl',
  'volumes.kubernetes.io/controller-managed-attach-detach',
  'kubectl.kubernetes.io/last-applied-configuration',
];

/** The kubeconfig path to use: an explicit one, $KUBEHA_E2E_KUBECONFIG, or cluster:up's. */
export function kubeconfigPath(explicit) {
  return explicit || process.env.KUBEHA_E2E_KUBECONFIG || DEFAULT_KUBECONFIG;
}

/** Parses a topology file into clean Node manifests ready to be created as kwok nodes. */
export function readTopology(text, source = 'topology') {
  const nodes = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`${source}: ${doc.errors[0].message}`);
    const value = doc.toJS();
    if (value == null) continue;
    const items = value.kind === 'List' || value.kind === 'NodeList' ? (value.items ?? []) : [value];
    for (const item of items) {
      if (item?.kind !== 'Node') {
        throw new Error(`${source}: expected Node objects, found kind ${JSON.stringify(item?.kind)}`);
      }
      nodes.push(kwokNode(item, source));
    }
  }
  const seen = new Set();
  for (const n of nodes) {
    if (seen.has(n.metadata.name)) throw new Error(`${source}: node ${n.metadata.name} is listed twice`);
    seen.add(n.metadata.name);
  }
  return nodes;
}

function kwokNode(node, source) {
  const name = node.metadata?.name;
  if (!name) throw new Error(`${source}: a Node has no metadata.name`);
  const metadata = { ...node.metadata };
  for (const k of LIVE_METADATA) delete metadata[k];
  delete metadata.namespace;
  metadata.labels = {
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    ...metadata.labels,
    type: 'kwok',
  };
  const annotations = { ...metadata.annotations };
  for (const k of LIVE_ANNOTATIONS) delete annotations[k];
  metadata.annotations = { ...annotations, [KWOK_ANNOTATION]: 'fake' };

  const status = {};
  const capacity = node.status?.capacity;
  const allocatable = node.status?.allocatable ?? capacity;
  if (capacity) status.capacity = capacity;
  if (allocatable) status.allocatable = allocatable;
  if (node.status?.nodeInfo) status.nodeInfo = node.status.nodeInfo;

  return { apiVersion: 'v1', kind: 'Node', metadata, spec: { ...node.spec }, status };
}

const applyQuery = `?fieldManager=${FIELD_MANAGER}&force=true`;

/** Creates or updates the nodes with server-side apply (status too: capacity is status). */
export async function applyNodes(kc, nodes) {
  for (const node of nodes) {
    const path = `/api/v1/nodes/${encodeURIComponent(node.metadata.name)}`;
    const { capacity, allocatable } = node.status;
    // Applying the whole object creates the node with its status; on an existing node the main
    // resource ignores status, so capacity and allocatable are applied to /status as well.
    await kubeCall(kc, 'PATCH', path + applyQuery, node, 'application/apply-patch+yaml');
    if (capacity || allocatable) {
      const statusPatch = {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: node.metadata.name },
        status: { capacity, allocatable },
      };
      await kubeCall(kc, 'PATCH', path + '/status' + applyQuery, statusPatch, 'application/apply-patch+yaml');
    }
  }
}

/** Deletes the nodes (missing ones are fine). */
export async function deleteNodes(kc, names) {
  for (const name of names) {
    await kubeCall(kc, 'DELETE', `/api/v1/nodes/${encodeURIComponent(name)}`, undefined, undefined, [404]);
  }
}

function isReady(node) {
  return (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Waits until kwok reports every named node Ready. */
export async function waitNodesReady(kc, names, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let pending = [...names];
  while (pending.length > 0) {
    const next = [];
    for (const name of pending) {
      const res = await kubeRequest(kc, 'GET', `/api/v1/nodes/${encodeURIComponent(name)}`);
      if (res.status !== 200 || !isReady(res.body)) next.push(name);
    }
    pending = next;
    if (pending.length === 0) return;
    if (Date.now() > deadline)
      throw new Error(`nodes not Ready after ${timeoutMs} ms: ${pending.join(', ')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function main(argv) {
  const args = [...argv];
  const flag = (name) => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const value = args[i + 1];
    args.splice(i, 2);
    return value;
  };
  const wait = args.includes('--wait');
  if (wait) args.splice(args.indexOf('--wait'), 1);
  const kubeconfig = kubeconfigPath(flag('--kubeconfig'));
  const [command, file] = args;
  if (!['apply', 'delete'].includes(command) || !file) {
    console.error('usage: nodes.mjs apply|delete TOPOLOGY.yaml [--kubeconfig PATH] [--wait]');
    return 2;
  }
  const nodes = readTopology(readFileSync(file, 'utf8'), file);
  const kc = loadKubeconfig(kubeconfig);
  const names = nodes.map((n) => n.metadata.name);
  if (command === 'apply') {
    await applyNodes(kc, nodes);
    if (wait) await waitNodesReady(kc, names);
    console.log(`applied ${names.length} kwok node(s)${wait ? ', Ready' : ''}: ${names.join(', ')}`);
  } else {
    await deleteNodes(kc, names);
    console.log(`deleted ${names.length} node(s): ${names.join(', ')}`);
  }
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(`nodes.mjs: ${err.message}`);
      process.exit(1);
    },
  );
}
