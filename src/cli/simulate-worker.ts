/** One shard of `kubeha simulate --jobs N`, run on a worker thread. */
import { parentPort, workerData } from 'node:worker_threads';
import type { K8sObject } from '../model/types.js';
import { simulate, type SimOptions, type Topology } from '../simulate/index.js';

const data = workerData as { objects: K8sObject[]; topology: Topology; options: SimOptions };
parentPort?.postMessage(simulate(data.objects, data.topology, data.options));
