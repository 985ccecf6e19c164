#!/usr/bin/env python3
# ruff: noqa: E501 - embedded SQL and the search script keep their own line lengths
"""Benchmarks of the document register, each a ratio against a baseline of the same run.

1. Registration throughput: 8 concurrent clients register documents over JSON-RPC
   (create a draft, then register it: what a clerk's form does), against 8 concurrent
   clients creating ``res.partner`` records over JSON-RPC on the same server. Target: at
   least 0.5x. Every number given must be unique and the sequence gap-free.
2. Register search over 1,000,000 generated documents (by number, by words of the subject,
   by correspondent): the ORM's first page (``search_read``, 80 rows) against a hand-written
   SQL query using the same indexes, on the same data. Target: within 2x.

It finds Odoo 18 and starts a private PostgreSQL cluster the way tier 3 of scripts/test does,
and prints the figures; it asserts nothing about time. Run it with any Python 3:

    python3 tests/bench/bench_registry.py [--documents 1000000] [--seconds 20]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts"))

import odoo_tier  # noqa: E402

DATABASE = "bench_registry"
CLIENTS = 8


def rpc(url, service, method, *args):
    payload = json.dumps(
        {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"service": service, "method": method, "args": args},
        }
    ).encode()
    request = urllib.request.Request(
        url + "/jsonrpc", payload, {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        answer = json.loads(response.read())
    if "error" in answer:
        raise RuntimeError(answer["error"]["data"]["message"])
    return answer["result"]


class Client:
    def __init__(self, url, login, password):
        self.url, self.password = url, password
        self.uid = rpc(url, "common", "login", DATABASE, login, password)

    def call(self, model, method, *args, **kwargs):
        return rpc(
            self.url,
            "object",
            "execute_kw",
            DATABASE,
            self.uid,
            self.password,
            model,
            method,
            list(args),
            kwargs,
        )


def run_clients(clients, work, seconds):
    """Run ``work(client, index)`` in a loop on every client for ``seconds``; count calls."""
    counts = [0] * len(clients)
    errors = []
    stop = time.monotonic() + seconds
    barrier = threading.Barrier(len(clients))

    def loop(position, client):
        barrier.wait()
        index = 0
        while time.monotonic() < stop:
            try:
                work(client, position * 1_000_000 + index)
                counts[position] += 1
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            index += 1

    threads = [
        threading.Thread(target=loop, args=(i, c)) for i, c in enumerate(clients)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.monotonic() - started), errors


def bench_registration(url, admin, seconds):
    setup = admin
    office = setup.call(
        "municipal.registry.office", "create", {"name": "Bench", "code": "B"}
    )
    register = setup.call(
        "municipal.register",
        "create",
        {"name": "Bench", "office_id": office, "index": "01-00"},
    )
    kind = setup.call(
        "municipal.document.type",
        "create",
        {"name": "Bench letter", "register_id": register},
    )
    sender = setup.call("res.partner", "create", {"name": "Bench sender"})
    clerk_group = setup.call(
        "ir.model.data",
        "check_object_reference",
        "municipal_registry",
        "group_registry_clerk",
    )[1]
    clients = []
    for index in range(CLIENTS):
        login = f"bench_clerk_{index}"
        setup.call(
            "res.users",
            "create",
            {
                "name": f"Bench clerk {index}",
                "login": login,
                "password": login + "-pw",
                "groups_id": [(4, clerk_group)],
            },
        )
        clients.append(Client(url, login, login + "-pw"))

    def create_partner(client, index):
        client.call("res.partner", "create", {"name": f"Partner {index}"})

    def register_document(client, index):
        document = client.call(
            "municipal.document",
            "create",
            {
                "direction": "incoming",
                "document_type_id": kind,
                "subject": f"Document {index}",
                "correspondent_ids": [(0, 0, {"partner_id": sender})],
            },
        )
        client.call("municipal.document", "action_register", [document])

    def register_in_one_call(client, index):
        client.call(
            "municipal.document",
            "register_new",
            {
                "direction": "incoming",
                "document_type_id": kind,
                "subject": f"Document {index}",
                "correspondent_ids": [(0, 0, {"partner_id": sender})],
            },
        )

    baseline, base_errors = run_clients(clients, create_partner, seconds)
    ours, our_errors = run_clients(clients, register_document, seconds)
    one_call, one_call_errors = run_clients(clients, register_in_one_call, seconds)
    our_errors += one_call_errors
    rows = admin.call(
        "municipal.document",
        "search_read",
        [("register_id", "=", register), ("number", "!=", False)],
        fields=["sequence_number", "number"],
    )
    drafts = admin.call(
        "municipal.document",
        "search_count",
        [("register_id", "=", register), ("number", "=", False)],
    )
    for label, errors in (("partner", base_errors), ("registration", our_errors)):
        kinds = {}
        for error in errors:
            kinds[str(error)[:120]] = kinds.get(str(error)[:120], 0) + 1
        for text, count in sorted(kinds.items(), key=lambda kv: -kv[1])[:3]:
            print(f"  {label} error x{count}: {text}")
    numbers = sorted(r["sequence_number"] for r in rows)
    consecutive = numbers == list(range(1, len(numbers) + 1))
    unique = len({r["number"] for r in rows}) == len(rows)
    return {
        "partner_creates_per_s": round(baseline, 2),
        "registrations_per_s": round(ours, 2),
        "ratio": round(ours / baseline, 3) if baseline else None,
        "one_call_registrations_per_s": round(one_call, 2),
        "one_call_ratio": round(one_call / baseline, 3) if baseline else None,
        "target": ">= 0.5",
        "documents": len(rows),
        "left_unregistered": drafts,
        "numbers_unique": unique,
        "numbers_consecutive": consecutive,
        "errors": len(base_errors) + len(our_errors),
    }


SEARCH_SCRIPT = r"""
import json, os, statistics, sys, time
import odoo
from odoo import api, SUPERUSER_ID
from odoo.tools import config
config.parse_config(sys.argv[1:])
registry = odoo.modules.registry.Registry(config["db_name"])

def best(function, repeat=7):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)

with registry.cursor() as cr:
    env = api.Environment(cr, SUPERUSER_ID, {})
    Document = env["municipal.document"]
    fields = ["number", "registration_date", "subject", "state"]
    cr.execute("SELECT number FROM municipal_document WHERE sequence_number = 777777")
    wanted = cr.fetchone()[0]
    cases = {
        "number": (
            [("number", "=", wanted)],
            "SELECT id, number, registration_date, subject, state FROM municipal_document "
            "WHERE number = %s ORDER BY registration_date DESC, id DESC LIMIT 80",
            [wanted],
        ),
        "subject words": (
            [("subject", "ilike", "разрешение за строеж")],
            "SELECT id, number, registration_date, subject, state FROM municipal_document "
            "WHERE subject ILIKE %s ORDER BY registration_date DESC, id DESC LIMIT 80",
            ["%разрешение за строеж%"],
        ),
        "correspondent": (
            [("partner_ids", "=", int(os.environ["BENCH_PARTNER"]))],
            "SELECT d.id, d.number, d.registration_date, d.subject, d.state "
            "FROM municipal_document d JOIN municipal_document_partner_rel r "
            "ON r.document_id = d.id WHERE r.partner_id = %s "
            "ORDER BY d.registration_date DESC, d.id DESC LIMIT 80",
            [int(os.environ["BENCH_PARTNER"])],
        ),
    }
    results = {}
    for name, (domain, sql, params) in cases.items():
        def orm():
            env.invalidate_all()
            Document.search_read(domain, fields, limit=80)
        def raw():
            cr.execute(sql, params)
            cr.fetchall()
        orm(); raw()
        orm_time, sql_time = best(orm), best(raw)
        results[name] = {
            "orm_ms": round(orm_time * 1000, 2),
            "sql_ms": round(sql_time * 1000, 2),
            "ratio": round(orm_time / sql_time, 2),
            "rows": len(Document.search(domain, limit=80)),
        }
    print("RESULT " + json.dumps(results))
"""


def generate_documents(cluster, count):
    """Insert ``count`` registered documents with SQL, as years of a big municipality."""
    sql = f"""
    INSERT INTO res_partner (name, active, type, is_company, create_date, write_date,
                             complete_name)
    SELECT 'Гражданин ' || g, true, 'contact', false, now(), now(), 'Гражданин ' || g
    FROM generate_series(1, 20000) g;

    INSERT INTO municipal_registry_office (name, code, sequence, kind, company_id, active)
    VALUES ('{{"en_US": "Gen"}}', 'GEN', 1, 'municipality', 1, true);
    INSERT INTO municipal_register (name, sequence, office_id, company_id, index,
                                    number_format, direction, active)
    SELECT '{{"en_US": "Gen"}}', 1, max(id), 1, '42-00', 'index_sequence_date', 'any', true
    FROM municipal_registry_office;

    WITH words AS (SELECT ARRAY[
        'Заявление за издаване на разрешение за строеж',
        'Искане за достъп до обществена информация',
        'Жалба относно шум от заведение',
        'Сигнал за повредено улично осветление',
        'Уведомление за промяна в обстоятелствата',
        'Заявление за удостоверение за наследници'] AS w)
    INSERT INTO municipal_document (number, sequence_number, registration_date,
        registration_year, direction, register_id, company_id, subject, state, restricted,
        create_date, write_date)
    SELECT '42-00-' || g || '/' || to_char(d, 'DD.MM.YYYY'), g, d, 2025, 'incoming',
           (SELECT max(id) FROM municipal_register), 1,
           (SELECT w[1 + (g % 6)] FROM words) || ' № ' || g, 'registered', false, now(), now()
    FROM generate_series(1, {count}) g,
         LATERAL (SELECT timestamp '2025-01-01' + (g * interval '30 seconds') AS d) t;

    INSERT INTO municipal_document_correspondent (document_id, partner_id, role, sequence)
    SELECT d.id, p.first + (d.id % 20000), 'sender', 10
    FROM municipal_document d, (SELECT min(id) AS first FROM res_partner
                                WHERE name LIKE 'Гражданин %') p;
    -- What the stored "Correspondent" field computes for documents created by the ORM.
    INSERT INTO municipal_document_partner_rel (document_id, partner_id)
    SELECT DISTINCT document_id, partner_id FROM municipal_document_correspondent
    ON CONFLICT DO NOTHING;
    ANALYZE;
    """
    cluster.psql(DATABASE, sql)
    row = cluster.psql(
        DATABASE,
        "SELECT partner_id FROM municipal_document_correspondent "
        "GROUP BY partner_id ORDER BY count(*) DESC LIMIT 1",
    )
    return int(row.strip())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument(
        "--skip-registration", action="store_true", help="only the search benchmark"
    )
    args = parser.parse_args()

    python, tree, how = odoo_tier.find_odoo()
    if not python:
        sys.exit(f"no Odoo 18.0 found: {how}")
    workdir = tempfile.mkdtemp(prefix="municipal-bench-")
    site = odoo_tier.prepare_python(python, workdir)
    cluster = odoo_tier.Cluster(odoo_tier.ensure_postgres_bin(), workdir)
    cluster.start()
    server = None
    addons = ",".join(
        [
            os.path.join(tree, "odoo", "addons"),
            os.path.join(tree, "addons"),
            odoo_tier.ADDONS,
        ]
    )
    base = [
        python,
        os.path.join(tree, "odoo-bin"),
        "--database",
        DATABASE,
        "--db_host",
        cluster.socket_dir,
        "--db_port",
        str(cluster.port),
        "--db_user",
        cluster.SUPERUSER,
        "--addons-path",
        addons,
        "--data-dir",
        os.path.join(workdir, "filestore"),
        "--log-level",
        "warn",
    ]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([site, tree])}
    try:
        subprocess.run(
            [
                *base,
                "--init",
                "municipal_registry",
                "--without-demo",
                "all",
                "--stop-after-init",
            ],
            check=True,
            env=env,
        )
        port = odoo_tier.free_port()
        server = subprocess.Popen(
            [
                *base,
                "--http-port",
                str(port),
                "--workers",
                "4",
                "--max-cron-threads",
                "0",
                "--gevent-port",
                str(odoo_tier.free_port()),
                "--db_maxconn",
                "32",
            ],
            env=env,
        )
        url = f"http://127.0.0.1:{port}"
        for _attempt in range(120):
            try:
                admin = Client(url, "admin", "admin")
                break
            except OSError:
                time.sleep(1)
        registration = {
            "ratio": None,
            "numbers_unique": None,
            "numbers_consecutive": None,
        }
        if not args.skip_registration:
            registration = bench_registration(url, admin, args.seconds)
        print("registration:", json.dumps(registration, ensure_ascii=False), flush=True)
        server.terminate()
        server.wait(30)
        server = None

        partner = generate_documents(cluster, args.documents)
        out = subprocess.run(
            [python, "-c", SEARCH_SCRIPT, *base[2:]],
            capture_output=True,
            text=True,
            env={**env, "BENCH_PARTNER": str(partner)},
        )
        if out.returncode:
            sys.exit(f"the search benchmark failed:\n{out.stderr[-3000:]}")
        result = json.loads(
            next(
                line for line in out.stdout.splitlines() if line.startswith("RESULT ")
            )[7:]
        )
        print(
            f"search over {args.documents} documents:",
            json.dumps(result, ensure_ascii=False),
        )
        worst = max(r["ratio"] for r in result.values())
        print(
            f"SUMMARY registration ratio {registration['ratio']} as a form does it "
            f"(save, then register: two calls), "
            f"{registration.get('one_call_ratio')} in one call (register_new) "
            "(target >= 0.5), "
            f"search worst ratio {worst} (target <= 2), "
            f"numbers unique {registration['numbers_unique']}, "
            f"consecutive {registration['numbers_consecutive']}"
        )
    finally:
        if server:
            server.terminate()
        cluster.stop()


if __name__ == "__main__":
    main()
