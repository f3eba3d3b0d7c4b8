#!/usr/bin/env bash
# Builds the VPA recommender from its Go module (k8s.io/autoscaler/vertical-pod-autoscaler, pinned
# in go.mod; the command is pkg/recommender) into tools/vpa/bin/recommender, so that the e2e test
# test/e2e/rightsize-vpa.test.ts compares kubeha rightsize with the recommender itself on the same
# Prometheus history. Like tools/helm/build.sh: nothing but the Go module proxy is reached, and Go's
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
echo "vpa:build: vpa recommender ${vpa_version} -> tools/vpa/bin/"
nice -n "$nice_level" go build -trimpath -ldflags "-s -w" \
  -o bin/recommender k8s.io/autoscaler/vertical-pod-autoscaler/pkg/recommender
echo "vpa:build: done in $(($(date +%s) - start)) s"
