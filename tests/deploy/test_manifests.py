"""Kubernetes manifests: render both overlays offline and check what they would deploy."""

from __future__ import annotations

import copy
import functools
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from services.core.settings import Settings
from services.worker import queues
from tests.deploy.conftest import (
    K8S,
    OVERLAY_NAMESPACES,
    OVERLAYS,
    REPO,
    by_kind,
    containers,
    find_tool,
    pod_templates,
    render,
    render_text,
    run,
)

try:
    import kubernetes_validate
    from kubernetes_validate.utils import SchemaNotFoundError
except ImportError as exc:  # pragma: no cover - a hint, not a skip
    raise ImportError("kubernetes-validate is required: pip install kubernetes-validate==1.37.0") from exc

# Oldest Kubernetes minor we support and the newest the schemas know.
K8S_VERSIONS = ("1.30.0", "1.37.0")

# Custom resources: kubernetes-validate ships no schema for them, so they are excluded from
# schema validation by kind (and only these kinds); their essential fields are asserted by the
# dedicated tests below (ServiceMonitor, ScaledObject, TriggerAuthentication).
CRD_KINDS = {
    ("monitoring.coreos.com/v1", "ServiceMonitor"),
    ("keda.sh/v1alpha1", "ScaledObject"),
    ("keda.sh/v1alpha1", "TriggerAuthentication"),
}

WORKLOADS = {
    "Deployment/posterior-api",
    "Deployment/posterior-worker",
    "Deployment/posterior-beat",
    "Job/posterior-migrate",
}

# checkov findings we accept, by check id -> (resources, reason). Anything else fails.
# (Without a Prisma Cloud key checkov reports no severities, so every failed check counts.)
CHECKOV_ALLOWED: dict[str, tuple[set[str], str]] = {
    # "Prefer using secrets as files over secrets as environment variables".
    "CKV_K8S_35": (
        WORKLOADS,
        "Settings are read from the environment (pydantic-settings); the brief requires "
        "secretKeyRef env vars from the out-of-band Secret posterior-secrets. No value is in the "
        "manifests, pods have no service-account token, and nothing else runs in the pod.",
    ),
    # "Image should use digest".
    "CKV_K8S_43": (
        WORKLOADS,
        "Overlays pin an immutable release tag with kustomize `images:`; a digest exists only once "
        "the image is pushed — pin `newName@sha256:` at release time (docs/operations.md#deploy).",
    ),
    # "Liveness Probe Should be Configured" / "Readiness Probe Should be Configured".
    "CKV_K8S_8": (
        {"Deployment/posterior-beat"},
        "Celery beat listens on no port and receives no traffic; its one failure mode is the "
        "process exiting, which the kubelet restarts anyway.",
    ),
    "CKV_K8S_9": (
        {"Deployment/posterior-beat"},
        "Celery beat is behind no Service, so readiness gates nothing.",
    ),
}

SECRET_NAME = "posterior-secrets"


# --------------------------------------------------------------------------- helpers


def _container(objects: tuple[dict[str, Any], ...], deployment: str) -> dict[str, Any]:
    (container,) = by_kind(objects, "Deployment")[deployment]["spec"]["template"]["spec"]["containers"]
    return container


def _labels_match(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return all(labels.get(key) == value for key, value in selector.items())


def _pod_labels(objects: tuple[dict[str, Any], ...]) -> list[dict[str, str]]:
    return [
        obj["spec"]["template"]["metadata"]["labels"]
        for obj in objects
        if obj["kind"] in {"Deployment", "Job"}
    ]


@functools.cache
def _checkov_failures(overlay: str, tmp: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    target = Path(tmp) / f"{overlay}.yaml"
    target.write_text(render_text(f"overlays/{overlay}"))
    env = {**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false"}
    proc = run(
        [
            find_tool("checkov"),
            "--file",
            str(target),
            "--framework",
            "kubernetes",
            "--output",
            "json",
            "--compact",
            "--skip-download",
        ],
        check=False,
        env=env,
    )
    report = json.loads(proc.stdout)
    if isinstance(report, list):
        (report,) = [r for r in report if r.get("check_type") == "kubernetes"]
    return report["summary"], report["results"]["failed_checks"]


def _checkov_resource(finding: dict[str, Any]) -> str:
    kind, *_, name = finding["resource"].split(".")
    return f"{kind}/{name}"


# --------------------------------------------------------------------------- rendering + schemas


def test_base_is_namespace_agnostic() -> None:
    base = yaml.safe_load((K8S / "base" / "kustomization.yaml").read_text())
    assert "namespace" not in base
    assert all("namespace" not in obj["metadata"] for obj in render("base"))


def test_each_overlay_renders_the_expected_objects(overlay: str, objects: tuple[dict[str, Any], ...]) -> None:
    kinds = {(obj["kind"], obj["metadata"]["name"]) for obj in objects}
    expected = {
        ("Namespace", OVERLAY_NAMESPACES[overlay]),
        ("ServiceAccount", "posterior"),
        ("Deployment", "posterior-api"),
        ("Service", "posterior-api"),
        ("Ingress", "posterior-api"),
        ("HorizontalPodAutoscaler", "posterior-api"),
        ("PodDisruptionBudget", "posterior-api"),
        ("Deployment", "posterior-worker"),
        ("Service", "posterior-worker"),
        ("Deployment", "posterior-beat"),
        ("Job", "posterior-migrate"),
        ("NetworkPolicy", "posterior-default-deny"),
        ("ServiceMonitor", "posterior-api"),
        ("ServiceMonitor", "posterior-worker"),
    }
    if overlay == "prod":
        expected |= {("ScaledObject", "posterior-worker"), ("TriggerAuthentication", "posterior-keda-redis")}
    assert expected <= kinds, expected - kinds
    assert any(kind == "ConfigMap" and name.startswith("posterior-config-") for kind, name in kinds)


def test_every_namespaced_object_lands_in_the_overlay_namespace(
    overlay: str, objects: tuple[dict[str, Any], ...]
) -> None:
    for obj in objects:
        if obj["kind"] != "Namespace":
            assert obj["metadata"].get("namespace") == OVERLAY_NAMESPACES[overlay], obj["metadata"]


@pytest.mark.parametrize("k8s_version", K8S_VERSIONS)
def test_core_objects_validate_against_kubernetes_schemas(
    objects: tuple[dict[str, Any], ...], k8s_version: str
) -> None:
    validated = 0
    for obj in objects:
        if (obj["apiVersion"], obj["kind"]) in CRD_KINDS:
            continue
        try:
            kubernetes_validate.validate(obj, k8s_version, strict=True)
        except SchemaNotFoundError:
            pytest.fail(f"no schema for {obj['apiVersion']} {obj['kind']}: not a core kind, not a known CRD")
        validated += 1
    assert validated >= 15


def test_schema_validation_rejects_a_misspelt_field() -> None:
    """Negative control: strict validation is live, not a no-op."""
    deployment = copy.deepcopy(by_kind(render("overlays/prod"), "Deployment")["posterior-api"])
    deployment["spec"]["template"]["spec"]["containers"][0]["readinesProbe"] = {"httpGet": {"path": "/"}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, K8S_VERSIONS[0], strict=True)


# --------------------------------------------------------------------------- security scan


def test_checkov_reports_nothing_outside_the_allow_list(
    overlay: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    summary, failed = _checkov_failures(overlay, str(tmp_path_factory.getbasetemp()))
    assert summary["parsing_errors"] == 0
    assert summary["resource_count"] >= 15, "checkov scanned (almost) nothing"
    unexpected = [
        f"{f['check_id']} {_checkov_resource(f)}: {f['check_name']}"
        for f in failed
        if _checkov_resource(f) not in CHECKOV_ALLOWED.get(f["check_id"], (set(), ""))[0]
    ]
    assert not unexpected, "\n".join(unexpected)


def test_checkov_allow_list_has_no_stale_entries(tmp_path_factory: pytest.TempPathFactory) -> None:
    seen: set[tuple[str, str]] = set()
    for overlay in OVERLAYS:
        _, failed = _checkov_failures(overlay, str(tmp_path_factory.getbasetemp()))
        seen |= {(f["check_id"], _checkov_resource(f)) for f in failed}
    allowed = {
        (check, resource) for check, (resources, _) in CHECKOV_ALLOWED.items() for resource in resources
    }
    assert allowed <= seen, f"allow-listed but no longer reported: {sorted(allowed - seen)}"


# --------------------------------------------------------------------------- workloads


def test_beat_runs_exactly_one_replica_and_recreates(objects: tuple[dict[str, Any], ...]) -> None:
    beat = by_kind(objects, "Deployment")["posterior-beat"]
    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"] == {"type": "Recreate"}
    scalers = [
        obj
        for obj in objects
        if obj["kind"] in {"HorizontalPodAutoscaler", "ScaledObject"}
        and obj["spec"]["scaleTargetRef"]["name"] == "posterior-beat"
    ]
    assert not scalers


def test_beat_works_in_the_writable_tmp_for_its_schedule_file(objects: tuple[dict[str, Any], ...]) -> None:
    beat = _container(objects, "posterior-beat")
    assert beat["workingDir"] == "/tmp"
    assert {"name": "tmp", "mountPath": "/tmp"} in beat["volumeMounts"]


def test_every_container_is_non_root_read_only_and_drops_all_capabilities(
    objects: tuple[dict[str, Any], ...],
) -> None:
    for where, container, pod in containers(objects):
        pod_sc, sc = pod.get("securityContext", {}), container.get("securityContext", {})
        assert pod_sc.get("runAsNonRoot") is True, where
        assert sc.get("runAsNonRoot") is True, where
        assert sc.get("runAsUser", pod_sc.get("runAsUser", 0)) >= 10000, where
        assert sc.get("allowPrivilegeEscalation") is False, where
        assert sc.get("readOnlyRootFilesystem") is True, where
        assert sc.get("capabilities", {}).get("drop") == ["ALL"], where
        assert not sc.get("capabilities", {}).get("add"), where
        assert sc.get("privileged", False) is False, where
        assert {"type": "RuntimeDefault"} in (sc.get("seccompProfile"), pod_sc.get("seccompProfile")), where


def test_every_container_gets_a_writable_tmp_from_an_empty_dir(objects: tuple[dict[str, Any], ...]) -> None:
    for where, container, pod in containers(objects):
        volumes = {v["name"]: v for v in pod.get("volumes", [])}
        tmp = [m for m in container.get("volumeMounts", []) if m["mountPath"] == "/tmp"]
        assert len(tmp) == 1, where
        assert "emptyDir" in volumes[tmp[0]["name"]], where


def test_no_pod_mounts_a_service_account_token(objects: tuple[dict[str, Any], ...]) -> None:
    for where, pod in pod_templates(objects):
        assert pod.get("automountServiceAccountToken") is False, where
        assert pod.get("serviceAccountName") == "posterior", where
    assert by_kind(objects, "ServiceAccount")["posterior"]["automountServiceAccountToken"] is False


def test_no_pod_shares_host_namespaces(objects: tuple[dict[str, Any], ...]) -> None:
    for where, pod in pod_templates(objects):
        for field in ("hostNetwork", "hostPID", "hostIPC"):
            assert not pod.get(field), f"{where}: {field}"
        assert not any("hostPath" in volume for volume in pod.get("volumes", [])), where


def test_every_container_has_resource_requests_and_limits(objects: tuple[dict[str, Any], ...]) -> None:
    for where, container, _ in containers(objects):
        resources = container.get("resources", {})
        for bound in ("requests", "limits"):
            assert {"cpu", "memory"} <= set(resources.get(bound, {})), f"{where}: {bound}"


def test_dev_resources_are_smaller_than_prod() -> None:
    def memory_limit(overlay: str) -> int:
        value = _container(render(f"overlays/{overlay}"), "posterior-api")["resources"]["limits"]["memory"]
        return int(value.removesuffix("Mi"))

    assert memory_limit("dev") < memory_limit("prod")


def test_each_process_runs_its_entry_point(objects: tuple[dict[str, Any], ...]) -> None:
    args = {where.split("/")[1]: container.get("args") for where, container, _ in containers(objects)}
    assert args == {
        "posterior-api": ["api"],
        "posterior-worker": ["worker"],
        "posterior-beat": ["beat"],
        "posterior-migrate": ["migrate"],
    }
    assert all("command" not in container for _, container, _ in containers(objects))


def test_api_probes_use_healthz_for_liveness_and_startup_and_readyz_for_readiness(
    objects: tuple[dict[str, Any], ...],
) -> None:
    api = _container(objects, "posterior-api")
    ports = {port["name"]: port["containerPort"] for port in api["ports"]}
    assert ports["http"] == 8000
    expected = {"startupProbe": "/healthz", "livenessProbe": "/healthz", "readinessProbe": "/readyz"}
    for probe, path in expected.items():
        assert api[probe]["httpGet"]["path"] == path, probe
        assert api[probe]["httpGet"]["port"] in ("http", 8000), probe


def test_worker_exposes_metrics_on_9808_and_is_probed_there(objects: tuple[dict[str, Any], ...]) -> None:
    worker = _container(objects, "posterior-worker")
    assert {"name": "metrics", "containerPort": 9808, "protocol": "TCP"} in worker["ports"]
    for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
        assert worker[probe]["tcpSocket"]["port"] == "metrics", probe


def test_api_drains_before_it_is_terminated(objects: tuple[dict[str, Any], ...]) -> None:
    deployment = by_kind(objects, "Deployment")["posterior-api"]
    pod = deployment["spec"]["template"]["spec"]
    command = _container(objects, "posterior-api")["lifecycle"]["preStop"]["exec"]["command"]
    assert command[0].endswith("sleep")
    assert pod["terminationGracePeriodSeconds"] > int(command[1]) + 15
    assert deployment["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0


def test_api_and_workers_spread_across_zones_and_nodes(objects: tuple[dict[str, Any], ...]) -> None:
    for name in ("posterior-api", "posterior-worker"):
        deployment = by_kind(objects, "Deployment")[name]
        constraints = deployment["spec"]["template"]["spec"]["topologySpreadConstraints"]
        assert {c["topologyKey"] for c in constraints} == {
            "topology.kubernetes.io/zone",
            "kubernetes.io/hostname",
        }
        for constraint in constraints:
            assert _labels_match(
                constraint["labelSelector"]["matchLabels"], deployment["spec"]["selector"]["matchLabels"]
            )


def test_images_are_pinned_by_the_overlay_and_never_latest(
    overlay: str, objects: tuple[dict[str, Any], ...]
) -> None:
    kustomization = yaml.safe_load((K8S / "overlays" / overlay / "kustomization.yaml").read_text())
    (pin,) = [image for image in kustomization["images"] if image["name"] == "posterior"]
    assert pin["newTag"]
    assert pin["newTag"] != "latest"
    expected = f"{pin['newName']}:{pin['newTag']}"
    for where, container, _ in containers(objects):
        assert container["image"] == expected, where
        assert container["imagePullPolicy"] == "Always", where


# --------------------------------------------------------------------------- config and secrets


def test_no_secret_object_or_secret_value_is_rendered(objects: tuple[dict[str, Any], ...]) -> None:
    for secret in by_kind(objects, "Secret").values():
        assert not secret.get("data"), secret["metadata"]["name"]
        assert not secret.get("stringData"), secret["metadata"]["name"]
    for path in K8S.rglob("kustomization.yaml"):
        assert "secretGenerator" not in yaml.safe_load(path.read_text()), path


def test_secret_references_name_posterior_secrets_and_documented_keys(
    objects: tuple[dict[str, Any], ...],
) -> None:
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", (REPO / "docs" / "operations.md").read_text(), re.M))
    keys = set()
    for where, container, _ in containers(objects):
        for env in container.get("env", []):
            ref = env.get("valueFrom", {}).get("secretKeyRef")
            if ref:
                assert ref["name"] == SECRET_NAME, where
                assert env["name"] == ref["key"], where
                keys.add(ref["key"])
        assert all("secretRef" not in source for source in container.get("envFrom", [])), where
    for auth in by_kind(objects, "TriggerAuthentication").values():
        for ref in auth["spec"]["secretTargetRef"]:
            assert ref["name"] == SECRET_NAME
            keys.add(ref["key"])
    assert {"DATABASE_URL", "REDIS_URL", "JWT_SECRET"} <= keys
    assert keys <= documented, f"undocumented Secret keys: {keys - documented}"


def test_every_container_loads_the_generated_config_map(objects: tuple[dict[str, Any], ...]) -> None:
    config_maps = by_kind(objects, "ConfigMap")
    for where, container, _ in containers(objects):
        names = [source["configMapRef"]["name"] for source in container["envFrom"]]
        assert len(names) == 1, where
        assert names[0] in config_maps, where


def test_config_map_holds_production_settings_without_secrets(objects: tuple[dict[str, Any], ...]) -> None:
    (config,) = by_kind(objects, "ConfigMap").values()
    data = config["data"]
    assert data["ENVIRONMENT"] == "production"
    assert data["WEBHOOK_ALLOW_PRIVATE_TARGETS"] == "false"
    assert data["API_PORT"] == "8000"
    assert isinstance(json.loads(data["CORS_ORIGINS"]), list)
    assert not {"DATABASE_URL", "REDIS_URL", "JWT_SECRET"} & set(data)


# --------------------------------------------------------------------------- wiring


def test_services_select_pods_and_target_named_ports(objects: tuple[dict[str, Any], ...]) -> None:
    deployments = by_kind(objects, "Deployment")
    for name, service in by_kind(objects, "Service").items():
        pod = deployments[name]["spec"]["template"]
        assert _labels_match(service["spec"]["selector"], pod["metadata"]["labels"]), name
        port_names = {p["name"] for c in pod["spec"]["containers"] for p in c.get("ports", [])}
        assert {p["targetPort"] for p in service["spec"]["ports"]} <= port_names, name


def test_ingress_routes_to_the_api_service(objects: tuple[dict[str, Any], ...]) -> None:
    ingress = by_kind(objects, "Ingress")["posterior-api"]
    service = by_kind(objects, "Service")["posterior-api"]
    service_ports = {p["name"] for p in service["spec"]["ports"]}
    hosts = set()
    for rule in ingress["spec"]["rules"]:
        hosts.add(rule["host"])
        for path in rule["http"]["paths"]:
            assert path["backend"]["service"]["name"] == "posterior-api"
            assert path["backend"]["service"]["port"]["name"] in service_ports
    assert hosts <= {h for tls in ingress["spec"]["tls"] for h in tls["hosts"]}, "every host has TLS"


def _ingress_routes(ingress: dict[str, Any], path: str) -> bool:
    """Whether the Ingress sends `path` to a backend: Exact matches the whole path, Prefix whole
    path elements (Kubernetes' rules: /v1 matches /v1 and /v1/me, not /v1x)."""
    for rule in ingress["spec"]["rules"]:
        for route in rule["http"]["paths"]:
            prefix = route["path"].rstrip("/")
            if route["pathType"] == "Exact" and path == route["path"]:
                return True
            if route["pathType"] == "Prefix" and (path == prefix or path.startswith(prefix + "/")):
                return True
    return False


def test_ingress_publishes_every_documented_operation_its_problem_pages_and_docs(
    objects: tuple[dict[str, Any], ...],
) -> None:
    ingress = by_kind(objects, "Ingress")["posterior-api"]
    spec = json.loads((REPO / "openapi" / "openapi.json").read_text())
    public = [re.sub(r"\{[^}]+\}", "x", path) for path in spec["paths"] if path != "/readyz"]
    public += [
        "/problems/not-found",
        "/docs",
        "/docs/swagger-ui-5.31.0/swagger-ui-bundle.js",
        "/openapi.json",
    ]
    assert [path for path in public if not _ingress_routes(ingress, path)] == []


def test_ingress_keeps_metrics_and_readiness_inside_the_cluster(objects: tuple[dict[str, Any], ...]) -> None:
    ingress = by_kind(objects, "Ingress")["posterior-api"]
    assert [p for p in ("/metrics", "/readyz", "/", "/v1x") if _ingress_routes(ingress, p)] == []


def test_service_monitors_scrape_metrics_from_existing_service_ports(
    objects: tuple[dict[str, Any], ...],
) -> None:
    services = by_kind(objects, "Service")
    monitors = by_kind(objects, "ServiceMonitor")
    assert set(monitors) == {"posterior-api", "posterior-worker"}
    for name, monitor in monitors.items():
        assert monitor["apiVersion"] == "monitoring.coreos.com/v1"
        matched = [
            svc
            for svc in services.values()
            if _labels_match(monitor["spec"]["selector"]["matchLabels"], svc["metadata"]["labels"])
        ]
        assert [svc["metadata"]["name"] for svc in matched] == [name]
        (endpoint,) = monitor["spec"]["endpoints"]
        assert endpoint["path"] == "/metrics"
        assert endpoint["port"] in {p["name"] for p in matched[0]["spec"]["ports"]}


def test_api_deployment_leaves_replicas_to_the_autoscaler(objects: tuple[dict[str, Any], ...]) -> None:
    hpa = by_kind(objects, "HorizontalPodAutoscaler")["posterior-api"]
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert hpa["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": "posterior-api",
    }
    assert "replicas" not in by_kind(objects, "Deployment")["posterior-api"]["spec"]


def test_dev_runs_one_replica_of_everything() -> None:
    objects = render("overlays/dev")
    hpa = by_kind(objects, "HorizontalPodAutoscaler")["posterior-api"]
    assert hpa["spec"]["minReplicas"] == 1
    deployments = by_kind(objects, "Deployment")
    assert deployments["posterior-worker"]["spec"]["replicas"] == 1
    assert deployments["posterior-beat"]["spec"]["replicas"] == 1
    assert not by_kind(objects, "ScaledObject")
    pdb = by_kind(objects, "PodDisruptionBudget")["posterior-api"]["spec"]
    # A one-pod PDB with minAvailable would block every node drain.
    assert pdb.get("maxUnavailable") == 1
    assert "minAvailable" not in pdb


def test_prod_api_scales_from_3_to_20_pods_and_keeps_2_through_disruptions() -> None:
    objects = render("overlays/prod")
    hpa = by_kind(objects, "HorizontalPodAutoscaler")["posterior-api"]["spec"]
    assert (hpa["minReplicas"], hpa["maxReplicas"]) == (3, 20)
    pdb = by_kind(objects, "PodDisruptionBudget")["posterior-api"]["spec"]
    assert pdb["minAvailable"] == 2
    assert _labels_match(
        pdb["selector"]["matchLabels"],
        by_kind(objects, "Deployment")["posterior-api"]["spec"]["template"]["metadata"]["labels"],
    )


def test_prod_scales_workers_with_keda_on_both_queues() -> None:
    objects = render("overlays/prod")
    scaled = by_kind(objects, "ScaledObject")["posterior-worker"]
    assert scaled["apiVersion"] == "keda.sh/v1alpha1"
    assert scaled["spec"]["scaleTargetRef"]["name"] == "posterior-worker"
    assert "posterior-worker" in by_kind(objects, "Deployment")
    assert 1 <= scaled["spec"]["minReplicaCount"] <= scaled["spec"]["maxReplicaCount"]
    triggers = {trigger["metadata"]["listName"]: trigger for trigger in scaled["spec"]["triggers"]}
    assert set(triggers) == set(queues.ALL)
    assert all(trigger["type"] == "redis" for trigger in triggers.values())
    # A push's recompute waits behind fewer tasks per worker than the weekly fan-out's.
    lengths = {name: int(trigger["metadata"]["listLength"]) for name, trigger in triggers.items()}
    assert 0 < lengths[queues.INTERACTIVE] < lengths[queues.BULK]
    for trigger in triggers.values():
        auth = by_kind(objects, "TriggerAuthentication")[trigger["authenticationRef"]["name"]]
        assert auth["apiVersion"] == "keda.sh/v1alpha1"
        assert {ref["parameter"] for ref in auth["spec"]["secretTargetRef"]} == {"address", "password"}
    assert "replicas" not in by_kind(objects, "Deployment")["posterior-worker"]["spec"], "KEDA owns replicas"


def test_workers_consume_every_queue(objects: tuple[dict[str, Any], ...]) -> None:
    # No --queues: a worker consumes both queues in turn (services/worker/queues.py), so the
    # weekly fan-out's backlog never stands in front of a push's recompute.
    assert _container(objects, "posterior-worker")["args"] == ["worker"]


def test_workers_get_longer_to_stop_than_any_task_may_run(objects: tuple[dict[str, Any], ...]) -> None:
    pod = by_kind(objects, "Deployment")["posterior-worker"]["spec"]["template"]["spec"]
    assert (
        pod["terminationGracePeriodSeconds"] > Settings(jwt_secret="x" * 32, _env_file=None).task_time_limit_s
    )


def test_migration_job_runs_once_and_cleans_up_without_init_containers(
    objects: tuple[dict[str, Any], ...],
) -> None:
    job = by_kind(objects, "Job")["posterior-migrate"]
    assert job["spec"]["template"]["spec"]["containers"][0]["args"] == ["migrate"]
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"
    assert 0 < job["spec"]["backoffLimit"] <= 3
    assert job["spec"]["ttlSecondsAfterFinished"] > 0
    assert job["spec"]["activeDeadlineSeconds"] > 0
    assert all("initContainers" not in pod for _, pod in pod_templates(objects))


def test_every_object_belongs_to_exactly_one_deploy_phase(objects: tuple[dict[str, Any], ...]) -> None:
    phases: dict[str, set[str]] = {}
    for obj in objects:
        phase = obj["metadata"].get("labels", {}).get("posterior.io/deploy-phase")
        assert phase in {"prereq", "migrate", "rollout"}, f"{obj['kind']}/{obj['metadata']['name']}"
        phases.setdefault(phase, set()).add(obj["kind"])
    assert phases["migrate"] == {"Job"}
    assert {"Namespace", "ServiceAccount", "ConfigMap", "NetworkPolicy"} == phases["prereq"]
    assert "Deployment" in phases["rollout"]
    assert "Job" not in phases["rollout"]


# --------------------------------------------------------------------------- network policy


def test_network_policy_denies_all_traffic_by_default(objects: tuple[dict[str, Any], ...]) -> None:
    deny = by_kind(objects, "NetworkPolicy")["posterior-default-deny"]["spec"]
    assert deny == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}


def _policies_for(
    objects: tuple[dict[str, Any], ...], component: str, direction: str
) -> list[dict[str, Any]]:
    labels = {"app.kubernetes.io/name": "posterior", "app.kubernetes.io/component": component}
    return [
        policy["spec"]
        for policy in by_kind(objects, "NetworkPolicy").values()
        if direction in policy["spec"]["policyTypes"]
        and _labels_match(policy["spec"]["podSelector"].get("matchLabels", {}), labels)
    ]


def _ports(rules: list[dict[str, Any]]) -> set[int]:
    return {port["port"] for rule in rules for port in rule.get("ports", [])}


def test_api_accepts_traffic_only_from_the_ingress_controller_and_prometheus(
    objects: tuple[dict[str, Any], ...],
) -> None:
    rules = [rule for spec in _policies_for(objects, "api", "Ingress") for rule in spec.get("ingress", [])]
    assert rules
    assert _ports(rules) == {8000}
    sources = {
        peer["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"]
        for rule in rules
        for peer in rule["from"]
    }
    assert sources == {"ingress-nginx", "monitoring"}


def test_only_workers_may_reach_https_and_never_private_ranges(objects: tuple[dict[str, Any], ...]) -> None:
    for component in ("api", "beat", "migrate"):
        rules = [
            rule for spec in _policies_for(objects, component, "Egress") for rule in spec.get("egress", [])
        ]
        assert 443 not in _ports(rules), component
    worker = [rule for spec in _policies_for(objects, "worker", "Egress") for rule in spec.get("egress", [])]
    https = [rule for rule in worker if _ports([rule]) == {443}]
    assert len(https) == 1
    excepted = {cidr for peer in https[0]["to"] for cidr in peer["ipBlock"].get("except", [])}
    assert {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16"} <= excepted


def test_every_component_may_reach_dns_postgres_and_redis(objects: tuple[dict[str, Any], ...]) -> None:
    for component in ("api", "worker", "beat", "migrate"):
        rules = [
            rule for spec in _policies_for(objects, component, "Egress") for rule in spec.get("egress", [])
        ]
        assert {53, 5432, 6379} <= _ports(rules), component


def test_namespace_enforces_the_restricted_pod_security_standard(
    overlay: str, objects: tuple[dict[str, Any], ...]
) -> None:
    namespace = by_kind(objects, "Namespace")[OVERLAY_NAMESPACES[overlay]]
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
