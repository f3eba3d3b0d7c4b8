#!/usr/bin/env bash
# Builds krew, the kubectl plugin manager, from its Go module (sigs.k8s.io/krew, pinned in go.mod)
# into tools/krew/bin/krew, so test/distribution/krew.test.ts can install kubeha's plugin manifest
# (plugins/ha.yaml) with krew itself. Like tools/cluster/build.sh: nothing but the Go module proxy
# is reached, and Go's build cache makes a rebuild take seconds.
#
# Environment: GOCACHE / GOMODCACHE as usual (a temporary pair measures a cold build);
# KREW_BUILD_NICE (default 10) is the nice level, since the machine is shared with tests.
set -euo pipefail
cd "$(dirname "$0")"

export CGO_ENABLED=0 GOFLAGS="${GOFLAGS:--buildvcs=false} -mod=readonly"
nice_level="${KREW_BUILD_NICE:-10}"
krew_version="$(go list -m -f '{{.Version}}' sigs.k8s.io/krew)" # e.g. v0.4.3

mkdir -p bin
start=$(date +%s)
echo "krew:build: krew ${krew_version} -> tools/krew/bin/"
# The same version stamp as krew's release builds, so `krew version` names it.
nice -n "$nice_level" go build -trimpath \
  -ldflags "-s -w -X sigs.k8s.io/krew/internal/version.gitTag=${krew_version}" \
  -o bin/krew sigs.k8s.io/krew/cmd/krew
echo "krew:build: done in $(($(date +%s) - start)) s"
