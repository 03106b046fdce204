"""`compose.yaml` and its nginx, checked against the image they run (issue 18 §1).

No registry can be reached here, so compose's PostgreSQL, Redis, OpenSearch and nginx images cannot be
pulled and the file is not started in CI (the image and its roles are: tests/deploy/test_container_image.py).
What can drift silently is checked instead: every app service runs a role the image's entrypoint knows,
with settings the code reads; the volumes meet where the image and nginx expect them; what must be one
is one; every long-running service has a health check; nginx accepts the uploads the site accepts.
"""
import re
from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = {"web", "worker", "beat", "migrate", "backup"}


def compose():
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def names_the_code_reads():
    settings_file = (ROOT / "marketplace" / "settings.py").read_text()
    names = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z_0-9]+)"', settings_file))
    names |= set(re.findall(r"\$\{([A-Z][A-Z_0-9]+)", (ROOT / "bin" / "entrypoint").read_text()))
    names |= set(re.findall(r'environ\.get\("([A-Z][A-Z_0-9]+)"', (ROOT / "bin" / "backups.py").read_text()))
    return names


def test_app_services_run_the_image_roles_with_settings_the_code_reads():
    services = compose()["services"]
    entrypoint = (ROOT / "bin" / "entrypoint").read_text()
    roles = set(re.findall(r"^  ([a-z]+)\)", entrypoint, re.M))
    assert {"web", "worker", "beat", "migrate", "manage", "backup", "restore", "healthcheck"} <= roles
    read = names_the_code_reads()
    assert len(read) > 50
    for name in APP_SERVICES:
        service = services[name]
        assert service["image"].startswith("${OCOP_IMAGE") and service["env_file"] == ".env", name
        assert service["command"][0] in roles, (name, service["command"])
        unknown = sorted(set(service["environment"]) - read)
        assert unknown == [], f"{name} sets settings nothing reads: {unknown}"


def test_what_must_be_one_is_one_and_long_running_services_report_health():
    services = compose()["services"]
    assert services["beat"]["deploy"]["replicas"] == 1
    assert "replicas" not in services["web"].get("deploy", {})  # scaled with --scale web=N
    for name in ("web", "worker", "postgres", "redis", "opensearch", "nginx"):
        assert services[name]["healthcheck"]["test"], name
    assert services["web"]["healthcheck"]["test"][:3] == ["CMD", "entrypoint", "healthcheck"]
    for name in ("migrate", "backup"):  # run once, by hand or cron: never restarted, never started by `up`
        assert services[name]["restart"] == "no" and services[name]["profiles"], name
    # the release step and the web nodes wait for the database and Redis to be healthy
    for name in APP_SERVICES:
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy", name
        assert services[name]["depends_on"]["redis"]["condition"] == "service_healthy", name


def test_volumes_meet_where_the_image_and_nginx_expect_them():
    document = compose()
    services = document["services"]
    containerfile = (ROOT / "Containerfile").read_text()
    media_root = re.search(r"MEDIA_ROOT=(\S+)", containerfile).group(1)
    private_root = re.search(r"PRIVATE_MEDIA_ROOT=(\S+)", containerfile).group(1)
    for name in ("web", "worker", "beat", "migrate"):
        assert f"media:{media_root}" in services[name]["volumes"], name
        assert f"private-media:{private_root}" in services[name]["volumes"], name
    nginx = services["nginx"]
    assert f"media:{media_root}:ro" in nginx["volumes"]
    assert not any(volume.startswith("private-media:") for volume in nginx["volumes"])  # documents: the view only
    conf = (ROOT / "deploy" / "nginx" / "ocop.conf").read_text()
    assert f"alias {media_root}/;" in conf
    assert services["web"]["environment"]["MEDIA_SERVED_BY_DJANGO"] == "False"  # nginx serves /media/ instead
    declared = set(document["volumes"])
    for service in services.values():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if not source.startswith((".", "/", "$")):
                assert source in declared, source


def test_nginx_terminates_tls_and_accepts_the_uploads_the_site_accepts():
    conf = (ROOT / "deploy" / "nginx" / "ocop.conf").read_text()
    assert "listen 443 ssl" in conf and "ssl_certificate " in conf
    assert re.search(r"location / \{\s*return 301 https://", conf)  # plain HTTP goes to HTTPS
    assert "X-Forwarded-Proto" in conf and "X-Forwarded-For" in conf
    limit = re.search(r"client_max_body_size (\d+)m;", conf).group(1)
    assert int(limit) * 1024 * 1024 >= max(settings.DATA_UPLOAD_MAX_MEMORY_SIZE, settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE)
    assert compose()["services"]["web"]["environment"]["TRUSTED_PROXY_COUNT"] == "1"  # nginx is the one proxy
