#!/usr/bin/env bash
# Builds prometheus and promtool from their Go module (github.com/prometheus/prometheus, pinned in
# go.mod) into tools/prometheus/bin/, so the rightsize tests and benchmark read usage history from a
# real Prometheus whose TSDB promtool backfilled (start.mjs; docs/testing.md), and tsdbwrite
# (tsdbwrite/main.go: the module's own block writer, for the benchmark's history). Like
# tools/helm/build.sh: nothing but the Go module proxy is reached, and Go's build cache makes a
# rebuild take seconds.
#
# What is left out, to keep a cold build (CI's first run) short:
#   - every service discovery but file and http (tag remove_all_sd, see the module's plugins/):
#     the history is backfilled, nothing is scraped;
#   - the web UI's assets (no tag builtinassets): the tests use the HTTP API only.
#
# Environment: GOCACHE / GOMODCACHE as usual (a temporary pair measures a cold build);
# PROMETHEUS_BUILD_NICE (default 10) is the nice level, since the machine is shared with tests.
set -euo pipefail
cd "$(dirname "$0")"

export CGO_ENABLED=0 GOFLAGS="${GOFLAGS:--buildvcs=false} -mod=readonly"
nice_level="${PROMETHEUS_BUILD_NICE:-10}"
module=github.com/prometheus/prometheus
version="$(go list -m -f '{{.Version}}' "$module")" # e.g. v0.316.0, which is Prometheus 3.16.0
minor="${version#v0.}"; minor="${minor%%.*}"        # 316
release="${minor:0:1}.$((10#${minor:1})).${version##*.}"

# The version stamp of Prometheus' release builds (its .promu.yml), so `prometheus --version` and
# /api/v1/status/buildinfo name the release; a fixed date keeps an unchanged binary from relinking.
ldflags=(
  -s -w
  -X "github.com/prometheus/common/version.Version=${release}"
  -X "github.com/prometheus/common/version.Revision=${version}"
  -X "github.com/prometheus/common/version.Branch=HEAD"
  -X "github.com/prometheus/common/version.BuildUser=kubeha"
  -X "github.com/prometheus/common/version.BuildDate=19700101-00:00:00"
)

mkdir -p bin
start=$(date +%s)
echo "prometheus:build: Prometheus ${release} (${module} ${version}) -> tools/prometheus/bin/"
nice -n "$nice_level" go build -trimpath -tags remove_all_sd -ldflags "${ldflags[*]}" -o bin/ \
  "${module}/cmd/prometheus" "${module}/cmd/promtool" ./tsdbwrite
echo "prometheus:build: done in $(($(date +%s) - start)) s"
ls -l bin/
