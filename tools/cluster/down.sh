#!/usr/bin/env bash
# Stops the test control plane that up.sh started and deletes its state. Safe to run when no
# cluster is up (it then does nothing), so CI can call it unconditionally. Returns only once the
# components' processes are gone.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$here/.work"
name="${KUBEHA_CLUSTER_NAME:-kubeha-e2e}"
cluster="$work/clusters/$name"
export KWOK_WORKDIR="$work"
contexts="$work/contexts.kubeconfig" # see up.sh

if [[ ! -d "$cluster" ]]; then
  echo "cluster:down: no cluster named $name"
  exit 0
fi

# The components' pids, as kwokctl recorded them; only processes whose command line points into
# this cluster's directory count (a recorded pid may since have been reused).
pids=()
for f in "$cluster"/pids/*.pid; do
  [[ -f "$f" ]] || continue
  pid="$(tr -dc 0-9 <"$f")"
  if [[ -n "$pid" ]] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$cluster/"; then
    pids+=("$pid")
  fi
done

status=0
stopped=false
if [[ -x "$here/bin/kwokctl" ]]; then
  if PATH="$here/bin:$PATH" "$here/bin/kwokctl" --name "$name" delete cluster --kubeconfig "$contexts"; then
    stopped=true
  else
    status=$?
  fi
fi

# kwokctl sends SIGTERM and returns; wait for the processes to exit (SIGTERM again if kwokctl
# could not run), and SIGKILL what is left after 15 s.
alive() {
  local left=()
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && left+=("$pid"); done
  pids=("${left[@]}")
  ((${#pids[@]} > 0))
}
if ! $stopped && alive; then kill "${pids[@]}" 2>/dev/null; fi
for _ in $(seq 1 30); do alive || break; sleep 0.5; done
if alive; then
  echo "cluster:down: killing ${pids[*]} after 15 s"
  kill -9 "${pids[@]}" 2>/dev/null
fi
rm -rf "${cluster:?}"
[[ "$name" == kubeha-e2e ]] && rm -f "$work/kubeconfig"
echo "cluster:down: $name deleted"
exit "$status"
