#!/usr/bin/env bash
# Deploy Posterior to the current kube context, in order:
#   1. prereq  — Namespace, ServiceAccount, ConfigMap, NetworkPolicies
#   2. migrate — the migration Job (alembic upgrade head + catalog seed), waited for
#   3. rollout — api, worker, beat and everything around them; waited for
# Every rendered object carries the label posterior.io/deploy-phase with one of those values
# (tests/deploy checks it), so nothing is left out and nothing is applied early.
#
# Usage: deploy/k8s/deploy.sh <dev|prod> [IMAGE_TAG]
#   IMAGE_TAG overrides the tag pinned in the overlay for this run only (the rendered manifests
#   are edited, not the overlay). KUBECTL may name another kubectl binary.
# See docs/operations.md#deploy.
set -euo pipefail

overlay="${1:?usage: deploy.sh <dev|prod> [IMAGE_TAG]}"
image_tag="${2:-}"
kubectl_bin="${KUBECTL:-kubectl}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
overlay_dir="${here}/overlays/${overlay}"

if [[ ! -f "${overlay_dir}/kustomization.yaml" ]]; then
    echo "deploy.sh: no overlay '${overlay}' in ${here}/overlays" >&2
    exit 2
fi
namespace="$(sed -n 's/^namespace:[[:space:]]*//p' "${overlay_dir}/kustomization.yaml")"

rendered="$(mktemp)"
trap 'rm -f "${rendered}"' EXIT
"${kubectl_bin}" kustomize "${overlay_dir}" >"${rendered}"
if [[ -n "${image_tag}" ]]; then
    sed -i -E "s#(image: [^:[:space:]]+/posterior):[^[:space:]]+#\1:${image_tag}#" "${rendered}"
fi

step() { printf '\n==> %s\n' "$*"; }

step "prereq: namespace ${namespace}, config, network policies"
"${kubectl_bin}" apply -f "${rendered}" -l posterior.io/deploy-phase=prereq

if ! "${kubectl_bin}" -n "${namespace}" get secret posterior-secrets >/dev/null 2>&1; then
    echo "deploy.sh: Secret posterior-secrets is missing in ${namespace}" >&2
    echo "           create it first: docs/operations.md#secrets" >&2
    exit 1
fi

step "migrate: alembic upgrade head + catalog seed"
# A Job's pod template is immutable: replace the previous run's Job.
"${kubectl_bin}" -n "${namespace}" delete job posterior-migrate --ignore-not-found --wait=true
"${kubectl_bin}" apply -f "${rendered}" -l posterior.io/deploy-phase=migrate
# The Job ends Complete or Failed (activeDeadlineSeconds bounds it); wait for either.
while :; do
    conditions="$("${kubectl_bin}" -n "${namespace}" get job posterior-migrate \
        -o jsonpath='{range .status.conditions[*]}{.type}={.status}{"\n"}{end}')"
    if grep -q '^Complete=True' <<<"${conditions}"; then
        break
    fi
    if grep -q '^Failed=True' <<<"${conditions}"; then
        echo "deploy.sh: migration failed; the running version is untouched." >&2
        "${kubectl_bin}" -n "${namespace}" logs job/posterior-migrate --tail=100 >&2 || true
        exit 1
    fi
    sleep 5
done
"${kubectl_bin}" -n "${namespace}" logs job/posterior-migrate --tail=20 || true

step "rollout: api, worker, beat"
"${kubectl_bin}" apply -f "${rendered}" -l posterior.io/deploy-phase=rollout
for deployment in posterior-api posterior-worker posterior-beat; do
    "${kubectl_bin}" -n "${namespace}" rollout status "deployment/${deployment}" --timeout=10m
done

step "done: ${overlay} deployed to ${namespace}"
