#!/usr/bin/env bash
# Installs the tools kubeha is compared with into bench/.peers/ (git-ignored), at pinned versions:
#
#   bench/peers/install.sh [--force] [kube-score] [polaris] [checkov] [hardeneks]   (default: all four)
#
#   bench/.peers/bin/kube-score   github.com/zegl/kube-score/cmd/kube-score, from the Go module proxy
#   bench/.peers/bin/polaris      github.com/fairwindsops/polaris, built from bench/peers/polaris/go.{mod,sum}
#   bench/.peers/checkov/         a Python venv with checkov and its dependencies as in checkov.lock.txt
#   bench/.peers/hardeneks/       a Python venv with hardeneks as in hardeneks.lock.txt (live clusters only:
#                                 used by the `scan` comparison, not by `check`)
#   bench/.peers/versions.json    what was installed, read by bench/check/run.mjs and bench/peers/compare.mjs
#
# A tool already installed at its pinned version is skipped unless --force is given.
# Needs: go (1.22+), python3 (3.9–3.12) with venv. Takes about 3 minutes on 2 cores with an empty Go cache.
#
# Not installed, and why:
#   kube-linter: its module path (golang.stackrox.io/kube-linter) is not served by the Go module proxy
#   reachable here, and no other registry ships it.
set -euo pipefail

KUBE_SCORE_VERSION=v1.20.0
# Polaris tags (v4+) are not valid Go module versions (its go.mod says github.com/fairwindsops/polaris,
# without the /vN suffix a vN tag needs), and the proxy lists none: this commit of 2022-05-12 is the
# newest pseudo-version it serves that we found. The checksum database does not know it, so go.sum in
# bench/peers/polaris pins its hash instead (GONOSUMDB only skips the lookup; go.sum is still checked).
POLARIS_VERSION=v0.0.0-20220512134546-92f0b6e551df
CHECKOV_VERSION=3.3.30
HARDENEKS_VERSION=1.1.1

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
peers="$root/bench/.peers"
mkdir -p "$peers/bin"

force=0
wanted=()
for a in "$@"; do
  case "$a" in
    --force) force=1 ;;
    kube-score | polaris | checkov | hardeneks) wanted+=("$a") ;;
    -h | --help)
      sed -n '2,20p' "$0"
      exit 0
      ;;
    *)
      echo "install.sh: unknown argument $a" >&2
      exit 2
      ;;
  esac
done
[ ${#wanted[@]} -eq 0 ] && wanted=(kube-score polaris checkov hardeneks)

stamp() { # tool version → records it in versions.json (kept as one small JSON object)
  python3 - "$peers/versions.json" "$1" "$2" <<'EOF'
import json, sys
path, tool, version = sys.argv[1:]
try:
    data = json.load(open(path))
except (FileNotFoundError, ValueError):
    data = {}
data[tool] = version
json.dump(dict(sorted(data.items())), open(path, "w"), indent=2)
open(path, "a").write("\n")
EOF
}

installed() { # tool version → true when versions.json already records that version and it runs
  [ "$force" = 1 ] && return 1
  python3 -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1])).get(sys.argv[2]) == sys.argv[3] else 1)' \
    "$peers/versions.json" "$1" "$2" 2>/dev/null
}

python_venv() { # name version lockfile console-script
  local name=$1 version=$2 lock=$3 script=$4
  if installed "$name" "$version" && [ -x "$peers/$name/bin/$script" ]; then
    echo "$name $version: already installed"
    return
  fi
  echo "$name $version: pip install into bench/.peers/$name"
  rm -rf "${peers:?}/$name"
  python3 -m venv "$peers/$name"
  "$peers/$name/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$lock"
  local shown
  shown=$("$peers/$name/bin/python" -m pip show "$name")
  grep -qx "Version: $version" <<<"$shown"
  stamp "$name" "$version"
}

for tool in "${wanted[@]}"; do
  case "$tool" in
    kube-score)
      if installed kube-score "$KUBE_SCORE_VERSION" && [ -x "$peers/bin/kube-score" ]; then
        echo "kube-score $KUBE_SCORE_VERSION: already installed"
      else
        echo "kube-score $KUBE_SCORE_VERSION: go install"
        GOBIN="$peers/bin" GOFLAGS=-buildvcs=false go install -trimpath \
          -ldflags "-X main.version=${KUBE_SCORE_VERSION#v}" \
          "github.com/zegl/kube-score/cmd/kube-score@$KUBE_SCORE_VERSION"
        stamp kube-score "$KUBE_SCORE_VERSION"
      fi
      ;;
    polaris)
      # Polaris loads its check definitions with packr in development mode: from the module's source in the
      # Go module cache, at the absolute path compiled in. So no -trimpath, and `go clean -modcache`
      # means running this script again.
      polaris_src="$(go env GOMODCACHE)/github.com/fairwindsops/polaris@$POLARIS_VERSION"
      if installed polaris "$POLARIS_VERSION" && [ -x "$peers/bin/polaris" ] && [ -d "$polaris_src/checks" ]; then
        echo "polaris $POLARIS_VERSION: already installed"
      else
        echo "polaris $POLARIS_VERSION: go build (bench/peers/polaris)"
        grep -q "github.com/fairwindsops/polaris $POLARIS_VERSION" "$here/polaris/go.mod"
        (cd "$here/polaris" &&
          GONOSUMDB=github.com/fairwindsops/polaris GOFLAGS=-buildvcs=false go build -mod=readonly \
            -o "$peers/bin/polaris" github.com/fairwindsops/polaris)
        # Its version is a constant ("development"), so versions.json is what says which one this is.
        smoke=$(mktemp -d)
        printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: busybox:1.36\n' \
          >"$smoke/pod.yaml"
        "$peers/bin/polaris" audit --audit-path "$smoke" --format score >/dev/null
        rm -rf "$smoke"
        stamp polaris "$POLARIS_VERSION"
      fi
      ;;
    checkov) python_venv checkov "$CHECKOV_VERSION" "$here/checkov.lock.txt" checkov ;;
    hardeneks) python_venv hardeneks "$HARDENEKS_VERSION" "$here/hardeneks.lock.txt" hardeneks ;;
  esac
done
echo "kube-linter: not installed (golang.stackrox.io/kube-linter is not served by the Go module proxy here)"
cat "$peers/versions.json"
