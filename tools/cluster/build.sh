#!/usr/bin/env bash
# Builds the control plane for the end-to-end tests from Go modules (see go.mod for the pinned
# versions): etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok and kwokctl,
# into tools/cluster/bin/, and kubectl, which kwokctl runs to tell when the cluster is served. Go's build cache makes a rebuild take seconds; nothing but the Go
# module proxy is reached (and not even that once the module cache is warm).
#
# Environment: GOCACHE / GOMODCACHE as usual (a temporary pair measures a cold build);
# CLUSTER_BUILD_NICE (default 10) is the nice level, since the machine is shared with tests.
set -euo pipefail
cd "$(dirname "$0")"

export CGO_ENABLED=0 GOFLAGS="${GOFLAGS:--buildvcs=false} -mod=readonly"
nice_level="${CLUSTER_BUILD_NICE:-10}"

kube_version="$(go list -m -f '{{.Version}}' k8s.io/kubernetes)" # e.g. v1.36.5
kwok_version="$(go list -m -f '{{.Version}}' sigs.k8s.io/kwok)"  # e.g. v0.8.0
major="${kube_version#v}"; major="${major%%.*}"
minor="${kube_version#v*.}"; minor="${minor%%.*}"

# The same version stamps as Kubernetes' and kwok's release builds; a fixed build date keeps
# the link step's inputs stable, so an unchanged binary is not relinked.
ldflags=(
  -s -w
  -X "k8s.io/component-base/version.gitVersion=${kube_version}"
  -X "k8s.io/component-base/version.gitMajor=${major}"
  -X "k8s.io/component-base/version.gitMinor=${minor}"
  -X "k8s.io/component-base/version.gitTreeState=clean"
  -X "k8s.io/component-base/version.buildDate=1970-01-01T00:00:00Z"
  -X "k8s.io/client-go/pkg/version.gitVersion=${kube_version}"
  -X "k8s.io/client-go/pkg/version.gitMajor=${major}"
  -X "k8s.io/client-go/pkg/version.gitMinor=${minor}"
  -X "sigs.k8s.io/kwok/pkg/consts.Version=${kwok_version#v}"
  -X "sigs.k8s.io/kwok/pkg/consts.KubeVersion=${kube_version#v}"
)

mkdir -p bin
start=$(date +%s)
echo "cluster:build: Kubernetes ${kube_version}, kwok ${kwok_version} -> tools/cluster/bin/"
nice -n "$nice_level" go build -trimpath -ldflags "${ldflags[*]}" -o bin/ \
  k8s.io/kubernetes/cmd/kube-apiserver \
  k8s.io/kubernetes/cmd/kube-controller-manager \
  k8s.io/kubernetes/cmd/kube-scheduler \
  k8s.io/kubernetes/cmd/kubectl \
  sigs.k8s.io/kwok/cmd/kwok \
  sigs.k8s.io/kwok/cmd/kwokctl
# etcd's main package is the module root go.etcd.io/etcd/server/v3, which go build would name "v3".
nice -n "$nice_level" go build -trimpath -ldflags "-s -w" -o bin/etcd go.etcd.io/etcd/server/v3
echo "cluster:build: done in $(($(date +%s) - start)) s"
ls -l bin/
