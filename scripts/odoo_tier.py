#!/usr/bin/env python3
"""Tier 3 of the test command: the addons' own tests inside a real Odoo 18.0.

Finds an Odoo 18.0, starts a throwaway PostgreSQL cluster of its own, installs every
addon of ``addons/`` into a fresh database with ``--test-enable`` and their test tags,
and writes ``passed failed skipped`` to the result file named on the command line. Exit
status: 0 when the tier ran and passed, 1 when it failed, 3 when no Odoo was found (the
tier is skipped).

Only the standard library is used, so any Python 3 can run this file.
"""

import argparse
import contextlib
import glob
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADDONS = os.path.join(ROOT, "addons")
LIB = os.path.join(ROOT, "lib")
SKIPPED = 3

# Where an Odoo 18.0 source tree is looked for when ODOO_PATH is not set, in this order.
WELL_KNOWN_TREES = ["/opt/odoo18", "/opt/odoo-18.0", "/opt/odoo", "/srv/odoo", "~/odoo"]
# Python packages the addons and their browser tests need inside Odoo's own environment.
RUNTIME_MODULES = {
    "lxml": "lxml",
    "xmlsec": "xmlsec",
    "cryptography": "cryptography",
    "stdnum": "python-stdnum",
    # 0.86: the newest release that accepts Odoo's python-dateutil 2.8.2.
    "holidays": "holidays==0.86",
    "clamd": "clamd",
    "asn1crypto": "asn1crypto",
    "websocket": "websocket-client",
}

LOG_RECORD = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (\w+) (\S+) (\S+): (.*)$"
)
SUMMARY = re.compile(
    r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database"
)
SKIP = re.compile(r"skipped (\S+) : (.*)$")


def say(message):
    print(f"[tier 3] {message}", flush=True)


def our_modules():
    """The addons to test: those named in ODOO_MODULES, else all of ``addons/``."""
    available = sorted(
        name
        for name in os.listdir(ADDONS)
        if os.path.isfile(os.path.join(ADDONS, name, "__manifest__.py"))
    )
    wanted = [m for m in os.environ.get("ODOO_MODULES", "").split(",") if m]
    unknown = sorted(set(wanted) - set(available))
    if unknown:
        raise SystemExit(f"ODOO_MODULES names unknown addons: {', '.join(unknown)}")
    return wanted or available


# --------------------------------------------------------------------------- finding
# Odoo


def _probe(python, tree=None):
    """Return Odoo's major version as ``python`` imports it (from ``tree`` if given)."""
    code = "import odoo, sys; print(odoo.release.version_info[0]); print(odoo.__file__)"
    env = dict(os.environ)
    if tree:
        env["PYTHONPATH"] = tree + os.pathsep + env.get("PYTHONPATH", "")
    try:
        out = subprocess.run(
            [python, "-c", code],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            cwd="/",
        )
    except (OSError, subprocess.TimeoutExpired):
        return None, None
    if out.returncode != 0:
        return None, out.stderr.strip().splitlines()[-1:] or ["import failed"]
    version, path = out.stdout.split()[:2]
    return int(version), os.path.dirname(os.path.dirname(path))


def _tree_pythons(tree):
    candidates = [os.environ.get("ODOO_PYTHON")]
    candidates += [
        os.path.join(tree, d, "bin", "python") for d in ("venv", ".venv", "env")
    ]
    candidates += [shutil.which("python3")]
    return [c for c in candidates if c and os.access(c, os.X_OK)]


def find_odoo():
    """Return ``(python, tree, how)`` for an Odoo 18.0, or ``(None, None, why_not)``."""
    tried = []
    trees = []
    if os.environ.get("ODOO_PATH"):
        trees.append(("ODOO_PATH", os.environ["ODOO_PATH"]))
    trees += [("well-known location", os.path.expanduser(t)) for t in WELL_KNOWN_TREES]
    for how, tree in trees:
        if not os.path.isfile(os.path.join(tree, "odoo-bin")):
            if how == "ODOO_PATH":
                tried.append(f"ODOO_PATH={tree} has no odoo-bin")
            continue
        for python in _tree_pythons(tree):
            version, where = _probe(python, tree)
            if version == 18:
                return python, tree, f"{how} {tree} with {python}"
            tried.append(f"{tree} with {python}: {where or version}")
    odoo_script = shutil.which("odoo")
    pythons = []
    if odoo_script:
        with open(odoo_script, "rb") as handle:
            first = handle.readline().decode(errors="replace")
        if first.startswith("#!"):
            pythons.append(
                first[2:].split()[-1] if "env" in first else first[2:].split()[0]
            )
    pythons += [shutil.which("python3"), "/usr/bin/python3"]
    for python in dict.fromkeys(p for p in pythons if p):
        if python and not os.path.isabs(python):
            python = shutil.which(python)
        if not python:
            continue
        version, where = _probe(python)
        if version == 18:
            return python, where, f"importable odoo in {python}"
        tried.append(
            f"{python}: {'odoo ' + str(version) if version else 'no importable odoo'}"
        )
    return None, None, "; ".join(tried) or "nothing to try"


# ---------------------------------------------------------------------------
# environment


def prepare_python(python, workdir):
    """Make the library importable by Odoo's Python and check the runtime packages.

    The library is installed into a folder of this run (``pip --target``), so Odoo's own
    environment is never changed by the project's code and the run always uses this
    checkout. Missing third-party packages are installed into Odoo's environment, since
    the addons need them there anyway; lxml and xmlsec are built from source against the
    system libxml2.
    """
    site = os.path.join(workdir, "site")
    missing = []
    for module, dist in RUNTIME_MODULES.items():
        check = subprocess.run(
            [python, "-c", f"import {module}"], capture_output=True, cwd="/"
        )
        if check.returncode != 0:
            missing.append(dist)
    if missing:
        say(f"installing into Odoo's Python: {', '.join(missing)}")
        pip = [python, "-m", "pip", "install", "--quiet", "--no-binary", "lxml,xmlsec"]
        if "xmlsec" in missing:
            subprocess.run(
                [*pip, "pkgconfig", "setuptools_scm", "setuptools", "wheel"], check=True
            )
            pip.append("--no-build-isolation")
        subprocess.run([*pip, *missing], check=True)
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--no-deps", "--target", site, LIB],
        check=True,
    )
    # A mismatch of lxml's and xmlsec's libxml2 only shows when both are imported
    # together.
    check = subprocess.run(
        [python, "-c", "import lxml.etree, xmlsec, bg_egov"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": site},
        cwd="/",
    )
    if check.returncode != 0:
        raise RuntimeError(
            f"Odoo's Python cannot import the library: {check.stderr.strip()}"
        )
    return site


def find_postgres_bin():
    for tool in ("pg_ctl", "initdb"):
        path = shutil.which(tool)
        if path and os.path.isfile(
            os.path.join(os.path.dirname(os.path.realpath(path)), "postgres")
        ):
            return os.path.dirname(os.path.realpath(path))
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=_version_key)
    if versions:
        return os.path.dirname(versions[-1])
    return None


def _version_key(path):
    return [int(p) if p.isdigit() else 0 for p in path.split("/")[4].split(".")]


def ensure_postgres_bin():
    bindir = find_postgres_bin()
    if bindir:
        return bindir
    if os.geteuid() == 0 and shutil.which("apt-get"):
        say("no PostgreSQL server binaries: installing Debian's postgresql package")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "postgresql"],
            check=True,
            env=env,
            stdin=subprocess.DEVNULL,
        )
        bindir = find_postgres_bin()
    if not bindir:
        raise RuntimeError("no PostgreSQL server binaries (initdb, pg_ctl) found")
    return bindir


def free_port():
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """A PostgreSQL cluster in a temporary folder, reached only by its Unix socket."""

    # Odoo refuses to work as the "postgres" superuser, so the cluster's superuser has
    # its own name.
    SUPERUSER = "odoo"

    def __init__(self, bindir, workdir):
        self.bindir = bindir
        self.dir = os.path.join(workdir, "pg")
        self.data = os.path.join(self.dir, "data")
        self.socket_dir = self.dir
        self.port = free_port()
        self.os_user = None
        self.started = False

    def _run(self, *args, **kwargs):
        cmd = [os.path.join(self.bindir, args[0]), *args[1:]]
        if self.os_user:
            # initdb and postgres refuse to run as root.
            cmd = ["runuser", "-u", self.os_user, "--", *cmd]
        return subprocess.run(cmd, check=True, stdin=subprocess.DEVNULL, **kwargs)

    def start(self):
        os.makedirs(self.dir)
        if os.geteuid() == 0:
            self.os_user = self._unprivileged_user()
            pw = pwd.getpwnam(self.os_user)
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
            os.chmod(os.path.dirname(self.dir), 0o755)
        self._run(
            "initdb",
            "-D",
            self.data,
            "-U",
            self.SUPERUSER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            capture_output=True,
        )
        options = (
            f"-k {self.socket_dir} -p {self.port} -c listen_addresses='' "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            "pg_ctl",
            "-D",
            self.data,
            "-o",
            options,
            "-l",
            os.path.join(self.dir, "server.log"),
            "-w",
            "start",
            capture_output=True,
        )
        self.started = True
        say(f"PostgreSQL cluster started in {self.dir} (socket, port {self.port})")

    @staticmethod
    def _unprivileged_user():
        for name in ("postgres", "odoo-test"):
            with contextlib.suppress(KeyError):
                pwd.getpwnam(name)
                return name
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "odoo-test"], check=True
        )
        return "odoo-test"

    def psql(self, database, sql):
        out = subprocess.run(
            [
                os.path.join(self.bindir, "psql"),
                "-h",
                self.socket_dir,
                "-p",
                str(self.port),
                "-U",
                self.SUPERUSER,
                "-d",
                database,
                "-At",
                "-c",
                sql,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        return out.stdout

    def stop(self):
        if self.started:
            with contextlib.suppress(subprocess.CalledProcessError):
                self._run(
                    "pg_ctl",
                    "-D",
                    self.data,
                    "-m",
                    "immediate",
                    "-w",
                    "stop",
                    capture_output=True,
                )
            self.started = False
            say("PostgreSQL cluster stopped")


# --------------------------------------------------------------------------- running
# Odoo


def run_odoo(python, tree, site, cluster, workdir, modules, log_path):
    database = "municipal_test"
    addons_path = [
        os.path.join(tree, "odoo", "addons"),
        os.path.join(tree, "addons"),
        ADDONS,
    ]
    addons_path = [p for p in addons_path if os.path.isdir(p)]
    odoo_bin = os.path.join(tree, "odoo-bin")
    launcher = [odoo_bin] if os.path.isfile(odoo_bin) else ["-m", "odoo"]
    cmd = [
        python,
        *launcher,
        "--database",
        database,
        "--db_host",
        cluster.socket_dir,
        "--db_port",
        str(cluster.port),
        "--db_user",
        cluster.SUPERUSER,
        "--addons-path",
        ",".join(addons_path),
        "--data-dir",
        os.path.join(workdir, "filestore"),
        "--http-port",
        str(free_port()),
        "--gevent-port",
        str(free_port()),
        "--max-cron-threads",
        "0",
        "--workers",
        "0",
        "--init",
        ",".join(modules),
        "--test-enable",
        "--test-tags",
        ",".join(f"/{m}" for m in modules),
        "--log-level",
        "test",
        "--stop-after-init",
    ]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([site, tree]), "TZ": "UTC"}
    say(f"installing and testing {', '.join(modules)} (full log: {log_path})")
    return _stream(cmd, env, log_path)


def _stream(cmd, env, log_path):
    """Run Odoo, keep its whole log, print warnings and errors with their tracebacks."""
    records = []
    echo = False
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            cmd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            errors="replace",
            cwd=ROOT,
        )
        for line in proc.stdout:
            log.write(line)
            match = LOG_RECORD.match(line)
            if match:
                level, logger, message = match.group(1), match.group(3), match.group(4)
                records.append((level, logger, message))
                echo = (
                    level in ("WARNING", "ERROR", "CRITICAL")
                    or (logger == "odoo.tests.result")
                    or "running tests" in message
                    or " post-tests in " in message
                )
            if echo:
                sys.stdout.write("    " + line)
                sys.stdout.flush()
        returncode = proc.wait()
    return returncode, records


def evaluate(returncode, records, modules, cluster):
    """Turn Odoo's log into ``(passed, failed, skipped, problems)``."""
    problems = []
    summary = None
    skipped = []
    errors = 0
    for level, logger, message in records:
        found = SUMMARY.search(message)
        if found and logger == "odoo.tests.result":
            summary = tuple(int(g) for g in found.groups())
        skip = SKIP.search(message)
        if skip and level in ("INFO", "WARNING"):
            skipped.append((logger, skip.group(1), skip.group(2)))
        if level in ("ERROR", "CRITICAL"):
            errors += 1
    if summary is None:
        problems.append("Odoo did not report any test result")
        failures, test_errors, run = 0, 0, 0
    else:
        failures, test_errors, run = summary
    ours = [s for s in skipped if any(f".{m}." in f"{s[0]}.{s[1]}." for m in modules)]
    for _logger, test, reason in ours:
        problems.append(f"test of ours skipped, counted as failed: {test} ({reason})")
    failed = failures + test_errors + len(ours)
    passed = max(run - failures - test_errors - len(skipped), 0)
    names = ",".join(f"'{m}'" for m in modules)
    try:
        rows = cluster.psql(
            "municipal_test",
            f"SELECT name, state FROM ir_module_module WHERE name IN ({names})",
        )
    except subprocess.CalledProcessError:
        rows = ""  # Odoo stopped before it created the database.
    states = dict(line.split("|") for line in rows.split())
    for module in modules:
        if states.get(module) != "installed":
            problems.append(
                f"module {module} is not installed (state: {states.get(module)})"
            )
    if run == 0 and summary is not None:
        problems.append("no test of ours ran")
    if returncode != 0:
        problems.append(f"Odoo exited with status {returncode}")
    if errors and not failed:
        problems.append(f"{errors} error line(s) in the log outside any failed test")
    if problems and not failed:
        failed = 1
    return passed, failed, len(skipped) - len(ours), problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("result_file")
    parser.add_argument("--log-dir", default=tempfile.gettempdir())
    args = parser.parse_args()

    python, tree, how = find_odoo()
    if not python:
        say(
            "SKIPPED: no Odoo 18.0 found (set ODOO_PATH to a source tree "
            f"with odoo-bin): {how}"
        )
        return SKIPPED
    say(f"Odoo 18.0 found: {how}")
    modules = our_modules()
    workdir = tempfile.mkdtemp(prefix="municipal-odoo-")
    cluster = None

    def _terminate(signum, _frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, _terminate)
    try:
        site = prepare_python(python, workdir)
        cluster = Cluster(ensure_postgres_bin(), workdir)
        cluster.start()
        os.makedirs(args.log_dir, exist_ok=True)
        # One log per run, so that runs side by side do not write over each other.
        log_path = os.path.join(
            args.log_dir,
            time.strftime("odoo-tier3-%Y%m%d-%H%M%S") + f"-{os.getpid()}.log",
        )
        started = time.monotonic()
        returncode, records = run_odoo(
            python, tree, site, cluster, workdir, modules, log_path
        )
        passed, failed, skipped, problems = evaluate(
            returncode, records, modules, cluster
        )
        say(f"finished in {time.monotonic() - started:.0f}s")
    except (RuntimeError, subprocess.CalledProcessError, OSError) as exc:
        say(f"FAILED to run: {exc}")
        passed, failed, skipped, problems = 0, 1, 0, [str(exc)]
    finally:
        if cluster:
            cluster.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    for problem in problems:
        say(f"FAILURE: {problem}")
    say(f"{passed} passed, {failed} failed, {skipped} skipped")
    with open(args.result_file, "w", encoding="utf-8") as handle:
        handle.write(f"{passed} {failed} {skipped}\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
