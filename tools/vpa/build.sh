#!/usr/bin/env bash
# Builds the VPA recommender, admission controller and updater from their Go module
# (k8s.io/autoscaler/vertical-pod-autoscaler, pinned in go.mod; pkg/recommender,
# pkg/admission-controller, pkg/updater) into tools/vpa/bin/, so that the e2e tests compare kubeha
# rightsize with the recommender itself on the same Prometheus history (rightsize-vpa.test.ts) and
# with what the admission controller writes into a pod (vpa-admission.test.ts), and the VPA rules'
# claims with what the updater evicts (vpa-updater.test.ts). Like tools/helm/build.sh: nothing but the Go module proxy is reached, and Go's
# build cache makes a rebuild take seconds.
#
# Environment: GOCACHE / GOMODCACHE as usual (a temporary pair measures a cold build);
# VPA_BUILD_NICE (default 10) is the nice level, since the machine is shared with tests.
set -euo pipefail
cd "$(dirname "$0")"

export CGO_ENABLED=0 GOFLAGS="${GOFLAGS:--buildvcs=false} -mod=readonly"
nice_level="${VPA_BUILD_NICE:-10}"
vpa_version="$(go list -m -f '{{.Version}}' k8s.io/autoscaler/vertical-pod-autoscaler)" # e.g. v1.8.1

mkdir -p bin
start=$(date +%s)
echo "vpa:build: vpa recommender, admission controller and updater ${vpa_version} -> tools/vpa/bin/"
for cmd in recommender admission-controller updater; do
  nice -n "$nice_level" go build -trimpath -ldflags "-s -w" \
    -o "bin/$cmd" "k8s.io/autoscaler/vertical-pod-autoscaler/pkg/$cmd"
done
echo "vpa:build: done in $(($(date +%s) - start)) s"
