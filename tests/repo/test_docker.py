"""Docker files are checked statically: no Docker engine runs where tests run."""

import re
import shutil
import subprocess

import pytest
import yaml
from repo_paths import ADDONS, ROOT

COMPOSE = ROOT / "docker" / "compose.yaml"
DOCKERFILE = ROOT / "docker" / "odoo" / "Dockerfile"


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def test_compose_file_is_valid_for_docker_compose():
    tool = shutil.which("docker-compose")
    if tool is None:
        pytest.skip("docker-compose (Debian package docker-compose) is not installed")
    result = subprocess.run(
        [tool, "-f", str(COMPOSE), "--profile", "test", "config", "--services"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert set(result.stdout.split()) == {"db", "clamav", "odoo", "tests"}


def test_services_use_the_official_images(compose):
    services = compose["services"]
    assert services["db"]["image"] == "postgres:16"
    assert services["clamav"]["image"].startswith("clamav/clamav:")
    assert services["odoo"]["build"]["dockerfile"] == "docker/odoo/Dockerfile"
    assert services["odoo"]["ports"] == ["8069:8069"]
    assert services["tests"]["command"] == ["scripts/test"]
    assert services["odoo"]["depends_on"]["db"]["condition"] == "service_healthy"


def test_odoo_installs_every_addon(compose):
    command = " ".join(compose["services"]["odoo"]["command"])
    init = re.search(r"--init=(\S+)", command).group(1).split(",")
    assert sorted(init) == sorted(a.name for a in ADDONS)


def test_build_context_holds_what_the_dockerfile_copies(compose):
    context = (
        COMPOSE.parent / compose["services"]["odoo"]["build"]["context"]
    ).resolve()
    assert context == ROOT
    for source in re.findall(
        r"^COPY (\S+) ", DOCKERFILE.read_text(encoding="utf-8"), re.M
    ):
        assert (context / source).exists(), source


def _stages():
    stages, current = {}, None
    for line in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        match = re.match(r"FROM (\S+)(?: AS (\S+))?", line)
        if match:
            current = match.group(2) or match.group(1)
            stages[current] = {"from": match.group(1), "lines": []}
        elif current:
            stages[current]["lines"].append(line)
    return stages


def test_dockerfile_builds_on_the_official_odoo_image_and_drops_root():
    stages = _stages()
    assert stages["runtime"]["from"] == "odoo:18.0"
    users = [
        line.split()[1]
        for line in stages["runtime"]["lines"]
        if line.startswith("USER ")
    ]
    assert users[-1] == "odoo", "the runtime image must not run Odoo as root"


def test_dockerfile_hygiene():
    text = DOCKERFILE.read_text(encoding="utf-8")
    runs = re.findall(r"^RUN (.*?)(?<!\\)$", text, re.M | re.S)
    assert runs
    for run in runs:
        if "apt-get install" in run:
            assert "--no-install-recommends" in run
            assert "apt-get update" in run, "update and install belong to one layer"
            assert "rm -rf /var/lib/apt/lists/*" in run
        if "pip3 install" in run or "pip install" in run:
            assert "--no-cache-dir" in run
    assert ":latest" not in text
    assert "ADD " not in text, "COPY is explicit; ADD fetches and unpacks"
