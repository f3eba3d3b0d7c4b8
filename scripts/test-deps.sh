#!/usr/bin/env bash
# What the test suite needs besides npm packages: Debian's Chromium (the html reports are rendered in
# it) and openssl (the serve tests make their TLS certificates with it). Installs what is missing with
# apt-get (as root, or through sudo); does nothing when both are there.
set -euo pipefail
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v openssl >/dev/null || missing+=(openssl)
[ ${#missing[@]} -eq 0 ] && exit 0
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
echo "test-deps: installing ${missing[*]} with apt-get" >&2
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
