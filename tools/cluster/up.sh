#!/usr/bin/env bash
# Starts the test control plane with `kwokctl --runtime binary` and the binaries that build.sh
# made: etcd, kube-apiserver, kube-controller-manager, kube-scheduler and the kwok controller,
# all listening on 127.0.0.1 only, state under tools/cluster/.work/. Nothing is downloaded.
# Prints the kubeconfig path (also linked as tools/cluster/.work/kubeconfig) on its last line.
#
# Environment: KUBEHA_CLUSTER_NAME (default kubeha-e2e).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="$here/bin"
work="$here/.work"
name="${KUBEHA_CLUSTER_NAME:-kubeha-e2e}"

for b in etcd kube-apiserver kube-controller-manager kube-scheduler kwok kwokctl kubectl; do
  if [[ ! -x "$bin/$b" ]]; then
    echo "cluster:up: $bin/$b is missing: run 'npm run cluster:build' first" >&2
    exit 1
  fi
done

mkdir -p "$work"
# kwokctl keeps its clusters, logs, pids and caches under KWOK_WORKDIR (default ~/.kwok).
export KWOK_WORKDIR="$work"
kwokctl=("$bin/kwokctl" --name "$name")
# kwokctl adds a context for each cluster it creates to a kubeconfig (default ~/.kube/config) and
# removes it on delete: give it one of its own, and leave the user's alone.
contexts="$work/contexts.kubeconfig"

if [[ -d "$work/clusters/$name" ]]; then
  echo "cluster:up: a cluster named $name is left from an earlier run; deleting it first"
  "$here/down.sh"
fi

kube_version="$("$bin/kube-apiserver" --version | awk '{print $2}')"
config="$work/kwokctl.yaml"
cat >"$config" <<EOF
apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokctlConfiguration
options:
  runtime: binary
  bindAddress: 127.0.0.1
  kubeVersion: ${kube_version}
  securePort: true
  kubeAuthorization: true
  quietPull: true
  etcdBinary: $bin/etcd
  kubeApiserverBinary: $bin/kube-apiserver
  kubeControllerManagerBinary: $bin/kube-controller-manager
  kubeSchedulerBinary: $bin/kube-scheduler
  kwokControllerBinary: $bin/kwok
  kubectlBinary: $bin/kubectl
  # Node heartbeats: kwok renews each node's Lease every nodeLeaseDurationSeconds / 4 (3 s; the
  # kubelet's 40 s lease, every 10 s), and the node lifecycle controller marks a node Ready=Unknown
  # (and taints it unreachable) when no renewal came for the grace period (40 s; upstream 50 s),
  # checking every second (upstream 5 s). A 12 s grace was tried: on a loaded 2-core machine kwok's
  # renewals came 16-26 s apart and healthy nodes were lost. kwokctl multiplies these by
  # heartbeatFactor (default 5): 1 keeps them as written.
  heartbeatFactor: 1
  nodeLeaseDurationSeconds: 12
  kubeControllerManagerNodeMonitorPeriodMilliseconds: 1000
  kubeControllerManagerNodeMonitorGracePeriodMilliseconds: 40000
  # Container usage emulation, for the real metrics-server of tools/metrics-server: the kwok
  # controller serves each node's kubelet /metrics/resource from Metric, ResourceUsage and
  # ClusterResourceUsage objects, here CRDs it watches, so that a test creates the ones it needs
  # (tools/metrics-server/start.mjs) instead of their being fixed when the cluster starts. Without
  # such objects nothing is served; the controller only keeps a cache of pods for them.
  enableCRDs: [Metric, ResourceUsage, ClusterResourceUsage]
# The controllers' and the scheduler's API clients default to 20 and 50 requests/s: minutes to create
# and bind the 10 000 pods of bench/scan. Raised, so tests and benchmarks wait on Kubernetes' logic
# rather than on client-side rate limits.
componentsPatches:
  - name: kube-controller-manager
    extraArgs:
      - { key: kube-api-qps, value: "500" }
      - { key: kube-api-burst, value: "1000" }
      # The NoExecute taints of unreachable nodes are rate-limited per zone (0.1 nodes/s upstream):
      # a zone loss of two nodes would taint the second 10 s after the first. Raised, so that every
      # lost node is tainted in the same monitor pass; what is evicted, and when after its taint,
      # does not change. The pods' tolerationSeconds stay as the API server's
      # DefaultTolerationSeconds plugin sets them (300 s): fidelity cases set their own.
      - { key: node-eviction-rate, value: "1000" }
  - name: kube-scheduler
    extraArgs:
      - { key: kube-api-qps, value: "500" }
      - { key: kube-api-burst, value: "1000" }
EOF

start_ns=$(date +%s%N)
if ! PATH="$bin:$PATH" "${kwokctl[@]}" --config "$config" create cluster \
  --runtime binary --kubeconfig "$contexts" --wait 3m --timeout 5m; then
  echo "cluster:up: kwokctl could not start $name; the end of each component's log:" >&2
  for log in "$work/clusters/$name"/logs/*.log; do
    [[ -f "$log" ]] && { echo "--- $log" >&2; tail -n 20 "$log" >&2; }
  done
  "$here/down.sh" >&2 || true
  exit 1
fi
kubeconfig="$work/clusters/$name/kubeconfig.yaml"
if [[ ! -f "$kubeconfig" ]]; then
  echo "cluster:up: kwokctl wrote no kubeconfig at $kubeconfig" >&2
  exit 1
fi

# kwokctl only logs when its --wait runs out, so check here what the tests rely on: the API server
# is ready, kube-scheduler and kube-controller-manager hold their leader leases, and the
# controller-manager's controllers run (the service-account controller made "default").
ready() {
  "$bin/kubectl" --kubeconfig "$kubeconfig" get --raw "$1" >/dev/null 2>&1
}
checks=(
  /readyz
  /apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler
  /apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-controller-manager
  /api/v1/namespaces/default/serviceaccounts/default
)
for check in "${checks[@]}"; do
  for ((i = 0; ; i++)); do
    ready "$check" && break
    if ((i >= 240)); then
      echo "cluster:up: $check is not there after 120 s; logs in $work/clusters/$name/logs" >&2
      "$here/down.sh" >&2 || true
      exit 1
    fi
    sleep 0.5
  done
done
# The link is the default cluster's: a second cluster (KUBEHA_CLUSTER_NAME, e.g. a benchmark's) must not
# pull the e2e tests over to itself.
[[ "$name" == kubeha-e2e ]] && ln -sfn "$kubeconfig" "$work/kubeconfig"
ms=$((($(date +%s%N) - start_ns) / 1000000))
printf 'cluster:up: %s (Kubernetes %s) up in %d.%d s; logs in %s\n' "$name" "$kube_version" \
  $((ms / 1000)) $((ms % 1000 / 100)) "$work/clusters/$name/logs"
echo "$kubeconfig"
