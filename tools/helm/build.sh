#!/usr/bin/env bash
# Builds helm from its Go module (helm.sh/helm/v4, pinned in go.mod) into tools/helm/bin/helm, so
# the kubeha-serve chart (charts/kubeha-serve) is linted and rendered by helm itself
# (test/distribution/chart.test.ts, test/e2e/distribution-chart.test.ts). Like
# tools/cluster/build.sh: nothing but the Go module proxy is reached, and Go's build cache makes a
# rebuild take seconds.
#
# Environment: GOCACHE / GOMODCACHE as usual (a temporary pair measures a cold build);
# HELM_BUILD_NICE (default 10) is the nice level, since the machine is shared with tests.
set -euo pipefail
cd "$(dirname "$0")"

export CGO_ENABLED=0 GOFLAGS="${GOFLAGS:--buildvcs=false} -mod=readonly"
nice_level="${HELM_BUILD_NICE:-10}"
helm_version="$(go list -m -f '{{.Version}}' helm.sh/helm/v4)" # e.g. v4.3.2

mkdir -p bin
start=$(date +%s)
echo "helm:build: helm ${helm_version} -> tools/helm/bin/"
# The same version stamp as helm's release builds, so `helm version` names it.
nice -n "$nice_level" go build -trimpath \
  -ldflags "-s -w -X helm.sh/helm/v4/internal/version.version=${helm_version} -X helm.sh/helm/v4/internal/version.metadata= -X helm.sh/helm/v4/internal/version.gitTreeState=clean" \
  -o bin/helm helm.sh/helm/v4/cmd/helm
echo "helm:build: done in $(($(date +%s) - start)) s"
