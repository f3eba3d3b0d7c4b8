#!/usr/bin/env bash
# Builds metrics-server from its Go module (sigs.k8s.io/metrics-server, pinned in go.mod) into
# tools/metrics-server/bin/metrics-server, for the metrics API path of `kubeha rightsize`
# (test/e2e/rightsize-metrics-api.test.ts; start.mjs runs it against the kwok cluster). Like
# tools/cluster/build.sh: nothing but the Go module proxy is reached, and Go's build cache makes a
# rebuild take seconds.
#
# Environment: GOCACHE / GOMODCACHE as usual (a temporary pair measures a cold build);
# METRICS_SERVER_BUILD_NICE (default 10) is the nice level, since the machine is shared with tests.
set -euo pipefail
cd "$(dirname "$0")"

export CGO_ENABLED=0 GOFLAGS="${GOFLAGS:--buildvcs=false} -mod=readonly"
nice_level="${METRICS_SERVER_BUILD_NICE:-10}"
version="$(go list -m -f '{{.Version}}' sigs.k8s.io/metrics-server)" # e.g. v0.8.0

mkdir -p bin
start=$(date +%s)
echo "metrics-server:build: metrics-server ${version} -> tools/metrics-server/bin/"
# The version stamp of metrics-server's Makefile (client-go's version package), so that
# `metrics-server --version` names the release; a fixed build date keeps the link inputs stable.
nice -n "$nice_level" go build -trimpath \
  -ldflags "-s -w -X k8s.io/client-go/pkg/version.gitVersion=${version} -X k8s.io/client-go/pkg/version.buildDate=1970-01-01T00:00:00Z" \
  -o bin/metrics-server sigs.k8s.io/metrics-server/cmd/metrics-server
echo "metrics-server:build: done in $(($(date +%s) - start)) s"
