#!/usr/bin/env bash
# Checks deploy/ offline, with tools from the Go module proxy pinned in tools/go.mod:
#   - the Kubernetes manifests, as kustomize renders them and each file alone, against the
#     Kubernetes API's own schemas (generated from the k8s.io/kubernetes module's
#     swagger.json), strictly: unknown fields are errors;
#   - compose.yaml with the Compose Specification's loader;
#   - the Dockerfile with BuildKit's checks (those of `docker build --check`).
# No Docker engine runs here, so the image itself is not built.
# Each checker is first shown something broken, and must refuse it.
set -euo pipefail
cd "$(dirname "$0")"
# Schemas of the oldest and the newest Kubernetes this is meant for.
K8S_VERSIONS=${K8S_VERSIONS:-"1.32.13 1.37.2"}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd tools && go build -o "$work/bin/" ./k8sschemagen ./composecheck ./dockerfilelint &&
  go build -o "$work/bin/" github.com/yannh/kubeconform/cmd/kubeconform sigs.k8s.io/kustomize/kustomize/v5)
bin=$work/bin

must_fail() { # what, command...
  local what=$1; shift
  if "$@" >"$work/out" 2>&1; then
    cat "$work/out"
    echo "check.sh: the checker passed $what, which is wrong on purpose" >&2
    exit 1
  fi
}

"$bin/kustomize" build k8s >"$work/rendered.yaml"
for v in $K8S_VERSIONS; do
  dir=$(cd tools && go mod download -json "k8s.io/kubernetes@v$v" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  "$bin/k8sschemagen" -swagger "$dir/api/openapi-spec/swagger.json" -out "$work/schemas" -version "v$v" >/dev/null
  kubeconform=("$bin/kubeconform" -strict -summary -kubernetes-version "$v" -schema-location "$work/schemas")
  must_fail "a broken Deployment (Kubernetes $v)" "${kubeconform[@]}" tools/testdata/broken/deployment.yaml
  echo "Kubernetes $v:"
  "${kubeconform[@]}" "$work/rendered.yaml"
  "${kubeconform[@]}" -skip Kustomization k8s
done

must_fail "a broken compose file" "$bin/composecheck" tools/testdata/broken/compose.yaml
"$bin/composecheck" compose.yaml

must_fail "a broken Dockerfile" "$bin/dockerfilelint" tools/testdata/broken/Dockerfile
"$bin/dockerfilelint" Dockerfile
