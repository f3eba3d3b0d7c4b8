/**
 * Every rule without a fix planner, and why: the right value is the user's to choose, the fix needs
 * something only the user knows, or the finding is about the cluster rather than the files. A
 * meta-test keeps this list and the planners complete between them.
 */
export const NO_PLANNER: Readonly<Record<string, string>> = {
  // The user chooses the value.
  'missing-readiness-probe':
    'decide what "ready" means for this container: the endpoint path and port (or the command) of its readinessProbe',
  'missing-liveness-probe':
    'decide how to tell that this container hangs: the endpoint path and port (or the command) of its livenessProbe',
  'identical-probes':
    'decide what the liveness check may leave out (dependencies), and give the livenessProbe its own endpoint',
  'slow-start-without-startup-probe':
    'decide how long the container may take to start: a startupProbe with failureThreshold × periodSeconds of that length',
  'probe-port-mismatch': 'decide which port the probe should use: name one the container declares',
  'missing-resource-requests':
    'decide how much cpu and memory the container needs (measure it, or start from a VPA recommendation)',
  'hpa-missing-requests':
    'decide the cpu or memory request the HPA computes utilisation from (measure it, or start from a VPA recommendation)',
  'hpa-missing': 'decide whether the workload should autoscale, on which metric, and its maxReplicas',
  'hpa-invalid-range': 'decide the range: whether minReplicas or maxReplicas is the one to change',
  'spread-selector-mismatch':
    'decide which pods the term was meant to select: it selects other pods, and they may be the intended ones',
  'required-node-anti-affinity':
    'decide between more nodes (capacity the manifest cannot add), fewer replicas, and a soft spread: a ScheduleAnyway constraint or preferred anti-affinity lets two replicas share a node when nodes run short',
  'pdb-matches-nothing': 'decide which workload the PDB is for: its selector selects none in the input',
  'pdb-overlap': 'decide which of the PDBs should govern these pods, and narrow or delete the other',
  'vpa-hpa-conflict':
    'decide which autoscaler owns cpu/memory: switch the VPA to updateMode Off (recommendations only), or scale the HPA on another metric',
  'vpa-disruptive-update':
    'decide between more replicas plus a PDB, and a VPA that only recommends (updateMode Off)',
  'canary-target-missing': 'decide which workload the canary is for: name one that exists',
  'mesh-no-timeout': "decide the route's timeout: it depends on what the slowest legitimate request takes",
  'mesh-no-retries': 'decide whether the requests are safe to retry (idempotent), and how often',
  'mesh-no-circuit-breaker': 'decide how many consecutive errors eject an endpoint, and for how long',
  'yaml-syntax':
    "the file does not parse: what it was meant to say is the user's to repair, and kubeha fix never writes to it",
  // Verdicts of the simulator: the findings of the static rules above say what to change.
  'sim-outage':
    'a simulator verdict: fix what check reports for the workload, then compare with kubeha fix --verify',
  'sim-stuck':
    'a simulator verdict: fix what check reports for the workload, then compare with kubeha fix --verify',
  'sim-degraded':
    'a simulator verdict: fix what check reports for the workload, then compare with kubeha fix --verify',
  // Live rules: about the cluster, not the files.
  'metrics-api-unavailable':
    'a cluster fact (the metrics API): install or repair the metrics server; no file to edit',
  'hpa-not-scaling': "a cluster fact (the HPA's conditions): read kubectl describe hpa; no file to edit",
  'pdb-no-disruptions-allowed':
    "a cluster fact (the PDB's status): bring the pods back to Ready; no file to edit",
  'replicas-colocated':
    'a cluster fact (where the pods run now): fix the spread in the files, then restart the rollout',
  'single-zone-cluster': 'a cluster fact (the nodes): add nodes in other zones; no manifest to edit',
  'restarting-containers':
    'a cluster fact (restarts): read the logs of the restarting containers; no file to edit',
  'metrics-server-missing': 'a cluster fact: install the metrics server; no file of the application to edit',
  'vpa-not-installed': 'a cluster fact: install the VPA components; no file of the application to edit',
  'no-service-mesh': 'a cluster fact: adopting a service mesh is an architecture choice',
  'no-monitoring': 'a cluster fact: installing a monitoring stack is an operations choice',
};
