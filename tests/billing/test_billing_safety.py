"""A billing run is all or nothing, and once per month — proved with real processes.

The demo federation (src/samkalk/demo/demoforbundet) is imported once into a database of its
own: a temporary SQLite file, or — when DATABASE_URL names PostgreSQL, as in `make test-db` — a
fresh database on that same server. Every trial starts from a copy of it (the SQLite file
copied; CREATE DATABASE … TEMPLATE), so a run that completed is never deleted, only discarded
with its copy. `samkalk billing run --period 2026-03` then runs as a real process and is killed
with SIGKILL at seeded random moments spread over its whole run, or two of them start at once.

Afterwards the database holds either nothing of March — not a run, an invoice, a line or an
audit row more than before — or the whole run: one run whose invoices add up to it, every
invoice net + VAT with its net the sum of its lines, an audit row for the run and for every
invoice, unique invoice numbers; the same run an undisturbed process posts.

The last tests call the service in-process: the check refuses a second run of a month, and the
database's unique constraint refuses it too when the check is passed by.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from samkalk.apps.audit.models import AuditEntry
from samkalk.apps.billing.models import BillingRun, Invoice, InvoiceLine
from samkalk.apps.billing.services import BillingError, billing_run_post
from samkalk.apps.workbook.demo import DEMO_WORKBOOK
from samkalk.apps.workbook.services import workbook_import
from tests.workbook.sample import write_sample

MARCH = "2026-03"
BILL = ("billing", "run", "--period", MARCH, "--format", "json")
KILLS = 20  # trials of the kill test
RACES = 3  # rounds of two simultaneous runs
SEED = 20260301
WINDOW = 1.4  # kills are spread over this many times an undisturbed run's duration
CLI = [sys.executable, "-c", "from samkalk.cli import main; main()"]
TABLES = ("billing_billingrun", "billing_invoice", "billing_invoiceline", "audit_auditentry")
OF_MARCH = "SELECT id FROM billing_billingrun WHERE kind = 'month' AND period = '2026-03-01'"
QUERIES = {
    **{table: f"SELECT COUNT(*) FROM {table}" for table in TABLES},
    "runs": (
        "SELECT id, net_ore, vat_ore, total_ore FROM billing_billingrun"
        " WHERE kind = 'month' AND period = '2026-03-01'"
    ),
    "invoices": (
        "SELECT i.id, i.number, i.net_ore, i.vat_ore, i.total_ore,"
        " COALESCE(SUM(l.amount_ore), 0), COUNT(l.id)"
        " FROM billing_invoice i LEFT JOIN billing_invoiceline l ON l.invoice_id = i.id"
        f" WHERE i.run_id IN ({OF_MARCH})"
        " GROUP BY i.id, i.number, i.net_ore, i.vat_ore, i.total_ore"
    ),
    "audited": (
        "SELECT model, object_pk FROM audit_auditentry WHERE action = 'create'"
        " AND model IN ('billing.billingrun', 'billing.invoice')"
    ),
    "numbers": "SELECT number, COUNT(*) FROM billing_invoice GROUP BY number HAVING COUNT(*) > 1",
}


# --- the databases the processes work on ------------------------------------------------------


class SqliteFiles:
    """The template and each trial's copy are files in a temporary folder."""

    vendor = "sqlite"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.template = self._url(folder / "template.sqlite3")
        self._copies = 0

    @staticmethod
    def _url(path: Path) -> str:
        return f"sqlite:///{path}"

    @staticmethod
    def _path(url: str) -> Path:
        return Path(url.removeprefix("sqlite:///"))

    def create_template(self) -> str:
        return self.template

    def copy(self) -> str:
        self._copies += 1
        target = self.folder / f"trial-{self._copies}.sqlite3"
        with (
            contextlib.closing(sqlite3.connect(self._path(self.template))) as source,
            contextlib.closing(sqlite3.connect(target)) as copy,
        ):
            source.backup(copy)  # the committed state, whatever sits in the template's WAL
        return self._url(target)

    def read(self, url: str) -> dict[str, list[tuple[Any, ...]]]:
        with contextlib.closing(sqlite3.connect(self._path(url))) as database:
            rows = {name: database.execute(sql).fetchall() for name, sql in QUERIES.items()}
            rows["integrity"] = database.execute("PRAGMA integrity_check").fetchall()
        assert rows["integrity"] == [("ok",)], rows["integrity"]
        return rows

    def writing(self, url: str) -> bool:
        """Whether a process holds the write lock: a run inside its transaction (IMMEDIATE)."""
        with contextlib.closing(sqlite3.connect(self._path(url), timeout=0)) as probe:
            try:
                probe.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError:  # database is locked
                return True
            probe.execute("ROLLBACK")
            return False

    def discard(self, url: str) -> None:
        path = self._path(url)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    def close(self) -> None:
        pass


class PostgresDatabases:
    """The template and each trial's copy are databases on the server the tests use."""

    vendor = "postgresql"

    def __init__(self, config: dict[str, Any]) -> None:
        import psycopg

        self.params = {
            "host": config.get("HOST") or None,
            "port": config.get("PORT") or None,
            "user": config.get("USER") or None,
            "password": config.get("PASSWORD") or None,
        }
        where = f"{self.params['host'] or 'localhost'}:{self.params['port'] or 5432}"
        try:  # the maintenance database, or else the one the tests were given
            self.admin = psycopg.connect(
                dbname="postgres", autocommit=True, connect_timeout=5, **self.params
            )
        except psycopg.OperationalError:
            try:
                self.admin = psycopg.connect(
                    dbname=config["NAME"], autocommit=True, connect_timeout=5, **self.params
                )
            except psycopg.OperationalError as exc:
                pytest.skip(f"PostgreSQL at {where} is not available: {exc}".strip())
        prefix = f"samkalk_safety_{uuid.uuid4().hex[:10]}"
        self.template = f"{prefix}_template"
        self._prefix = prefix
        self._copies = 0
        try:
            self.admin.execute(f'CREATE DATABASE "{self.template}"')
        except psycopg.errors.InsufficientPrivilege as exc:
            self.admin.close()
            pytest.skip(f"the PostgreSQL user cannot create databases at {where}: {exc}")

    def _url(self, name: str) -> str:
        user, password = self.params["user"], self.params["password"]
        auth = quote(user or "", safe="") + (":" + quote(password, safe="") if password else "")
        host = quote(self.params["host"] or "localhost", safe="")
        port = f":{self.params['port']}" if self.params["port"] else ""
        return f"postgresql://{auth}{'@' if auth else ''}{host}{port}/{name}"

    @staticmethod
    def _name(url: str) -> str:
        return url.rsplit("/", 1)[1]

    def create_template(self) -> str:
        return self._url(self.template)

    def copy(self) -> str:
        self._copies += 1
        name = f"{self._prefix}_{self._copies}"
        self.admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        return self._url(name)

    def read(self, url: str) -> dict[str, list[tuple[Any, ...]]]:
        import psycopg

        with psycopg.connect(dbname=self._name(url), **self.params) as database:
            return {name: database.execute(sql).fetchall() for name, sql in QUERIES.items()}

    def writing(self, url: str) -> bool:
        """Whether a run is inside its transaction: it holds a transaction id from its lock on."""
        (count,) = self.admin.execute(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = %s AND backend_xid IS NOT NULL",
            (self._name(url),),
        ).fetchone()
        return bool(count)

    def discard(self, url: str) -> None:
        # WITH (FORCE): the server may not yet have noticed that a killed client is gone.
        self.admin.execute(f'DROP DATABASE IF EXISTS "{self._name(url)}" WITH (FORCE)')

    def close(self) -> None:
        self.admin.execute(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')
        self.admin.close()


Databases = SqliteFiles | PostgresDatabases


# --- what a database holds of March -----------------------------------------------------------


@dataclass(frozen=True)
class Posted:
    """The run of March as the database holds it, checked whole."""

    invoices: int
    lines: int
    total_ore: int
    numbers: tuple[str, ...]


def inspect(databases: Databases, url: str, before: dict[str, int]) -> Posted | None:
    """None if the database holds nothing of March, the run if it holds all of it; else fail."""
    rows = databases.read(url)
    counts = {table: rows[table][0][0] for table in TABLES}
    assert rows["numbers"] == [], f"duplicate invoice numbers: {rows['numbers']}"
    if not rows["runs"]:
        assert counts == before, f"no run of {MARCH}, yet rows were written: {counts} != {before}"
        return None
    assert len(rows["runs"]) == 1, rows["runs"]
    run_id, net, vat, total = rows["runs"][0]
    invoices = rows["invoices"]
    assert invoices, "a run without invoices"
    assert total == sum(i[4] for i in invoices), "the run's total is its invoices' totals"
    assert (net, vat) == (sum(i[2] for i in invoices), sum(i[3] for i in invoices))
    for _pk, number, inv_net, inv_vat, inv_total, lines_sum, line_count in invoices:
        assert line_count > 0, f"{number} has no lines"
        assert inv_total == inv_net + inv_vat, f"{number}: total is not net + VAT"
        assert inv_net == int(lines_sum), f"{number}: net is not the sum of its lines"
    audited = set(rows["audited"])
    assert ("billing.billingrun", str(run_id)) in audited, "the run has no audit row"
    unaudited = [i[1] for i in invoices if ("billing.invoice", str(i[0])) not in audited]
    assert not unaudited, f"invoices without an audit row: {unaudited}"
    lines = sum(i[6] for i in invoices)
    assert counts == {
        "billing_billingrun": before["billing_billingrun"] + 1,
        "billing_invoice": before["billing_invoice"] + len(invoices),
        "billing_invoiceline": before["billing_invoiceline"] + lines,
        "audit_auditentry": before["audit_auditentry"] + len(invoices) + 1,
    }, "rows beyond the run, its invoices, their lines and their audit rows"
    return Posted(len(invoices), lines, total, tuple(sorted(i[1] for i in invoices)))


# --- the prepared federation ------------------------------------------------------------------


@dataclass(frozen=True)
class Prepared:
    databases: Databases
    before: dict[str, int]  # rows per table in the template
    reference: Posted  # what an undisturbed run posts
    duration: float  # seconds, an undisturbed run from process start to exit
    startup: float  # seconds, a refused run: start, settings, the check, exit
    env: dict[str, str]


def _start(env: dict[str, str], url: str, *args: str, **kwargs: Any) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [*CLI, *args],
        env={**env, "DATABASE_URL": url},
        stdout=kwargs.pop("stdout", subprocess.DEVNULL),
        stderr=kwargs.pop("stderr", subprocess.DEVNULL),
        **kwargs,
    )


def _run(env: dict[str, str], url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args],
        env={**env, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _bill(env: dict[str, str], url: str) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.monotonic()
    done = _run(env, url, *BILL)
    return time.monotonic() - started, done


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Prepared]:
    folder = tmp_path_factory.mktemp("billing-safety")
    config = settings.DATABASES["default"]
    databases: Databases = (
        PostgresDatabases(config)
        if config["ENGINE"] == "django.db.backends.postgresql"
        else SqliteFiles(folder)
    )
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"SAMKALK_ENV", "SAMKALK_DEBUG"}},
        "SAMKALK_VAR": str(folder / "var"),
        "DJANGO_SETTINGS_MODULE": "samkalk.config.settings",
    }
    try:
        template = databases.create_template()
        for args in (("migrate",), ("import", str(DEMO_WORKBOOK))):
            done = _run(env, template, *args)
            assert done.returncode == 0, done.stdout + done.stderr
        rows = databases.read(template)
        assert rows["runs"] == [], f"the demo already holds {MARCH}"
        before = {table: rows[table][0][0] for table in TABLES}
        url = databases.copy()
        duration, done = _bill(env, url)
        assert done.returncode == 0, done.stdout + done.stderr
        reference = inspect(databases, url, before)
        assert reference is not None and reference.invoices >= 3, reference
        posted = json.loads(done.stdout)
        assert tuple(sorted(i["number"] for i in posted["invoices"])) == reference.numbers
        startup, again = _bill(env, url)
        assert again.returncode == 1 and "billing.already_posted" in again.stderr, again.stderr
        databases.discard(url)
        yield Prepared(databases, before, reference, duration, startup, env)
    finally:
        databases.close()


# --- 1. a run killed at any moment --------------------------------------------------------------


def test_a_run_killed_at_any_moment_leaves_nothing_or_the_whole_run(prepared, tmp_path):
    rng = random.Random(SEED)
    window = prepared.duration * WINDOW
    delays = [(i + rng.random()) * window / KILLS for i in range(KILLS)]  # one in each stratum
    rng.shuffle(delays)
    outcomes: Counter[str] = Counter()
    started = time.monotonic()
    for delay in delays:
        url = prepared.databases.copy()
        try:
            errors = tmp_path / "stderr"
            with errors.open("wb") as stderr:
                process = _start(prepared.env, url, *BILL, stderr=stderr)
            time.sleep(delay)
            writing = process.poll() is None and prepared.databases.writing(url)
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)  # a no-op if it has just exited
            code = process.wait(timeout=60)
            assert code in (0, -signal.SIGKILL), (code, errors.read_text())
            posted = inspect(prepared.databases, url, prepared.before)
            assert posted in (None, prepared.reference), (posted, prepared.reference)
            assert code != 0 or posted is not None, "a run that exited 0 posted nothing"
            when = "finished" if code == 0 else "killed " + ("in" if writing else "outside")
            outcomes[f"{when}, {'empty' if posted is None else 'complete'}"] += 1
        finally:
            prepared.databases.discard(url)
    report = (
        f"{prepared.databases.vendor}: {KILLS} trials over {window:.2f} s (an undisturbed run"
        f" {prepared.duration:.2f} s, a refused one {prepared.startup:.2f} s), killed in or"
        f" outside the run's transaction: {dict(sorted(outcomes.items()))};"
        f" {time.monotonic() - started:.1f} s"
    )
    print(report)
    complete = sum(n for outcome, n in outcomes.items() if outcome.endswith("complete"))
    assert outcomes["killed in, empty"], f"no kill came inside the transaction; {report}"
    if not complete:  # every process was slower than the undisturbed one: timing, not safety
        print("no trial outlived its run on this machine; only the invariant was checked")


# --- 2. two runs started at once ----------------------------------------------------------------


def test_of_two_runs_started_at_once_one_posts_and_the_other_is_refused(prepared, tmp_path):
    for round_ in range(RACES):
        url = prepared.databases.copy()
        try:
            outputs = [
                (tmp_path / f"{round_}-{n}.out", tmp_path / f"{round_}-{n}.err") for n in (1, 2)
            ]
            with contextlib.ExitStack() as files:
                opened = [
                    (files.enter_context(out.open("wb")), files.enter_context(err.open("wb")))
                    for out, err in outputs
                ]
                processes = [
                    _start(
                        prepared.env,
                        url,
                        *BILL,
                        stdout=out,
                        stderr=err,
                    )
                    for out, err in opened
                ]
                codes = [process.wait(timeout=120) for process in processes]
            texts = [(out.read_text(), err.read_text()) for out, err in outputs]
            assert sorted(codes) == [0, 1], (codes, texts)
            (won_out, _), (_, lost_err) = (texts[codes.index(0)], texts[codes.index(1)])
            assert "billing.already_posted" in lost_err, lost_err
            posted = inspect(prepared.databases, url, prepared.before)
            assert posted == prepared.reference
            numbers = tuple(sorted(i["number"] for i in json.loads(won_out)["invoices"]))
            assert numbers == posted.numbers
        finally:
            prepared.databases.discard(url)


# --- 3. in-process: the check and the constraint ----------------------------------------------

JANUARY = dt.date(2026, 1, 1)


@pytest.fixture
def sample(db, tmp_path):
    report = workbook_import(write_sample(tmp_path / "sample"), actor="test")
    assert report.ok, report.errors


def _written() -> tuple[int, int, int, int]:
    return (
        BillingRun.objects.count(),
        Invoice.objects.count(),
        InvoiceLine.objects.count(),
        AuditEntry.objects.count(),
    )


def test_posting_a_month_twice_is_refused_and_writes_nothing(sample):
    billing_run_post(JANUARY, actor="test")
    written = _written()
    with pytest.raises(BillingError) as again:
        billing_run_post(JANUARY, actor="test")
    assert again.value.error.code == "billing.already_posted"
    assert _written() == written


def test_the_database_itself_refuses_a_second_run_of_a_month(sample):
    billing_run_post(JANUARY, actor="test")
    with pytest.raises(IntegrityError), transaction.atomic():
        BillingRun.objects.create(
            kind=BillingRun.Kind.MONTH,
            period=JANUARY,
            posted_at=timezone.now(),
            posted_by="test",
            net_ore=0,
            vat_ore=0,
            total_ore=0,
        )
    assert BillingRun.objects.filter(period=JANUARY).count() == 1


def test_a_run_past_the_check_is_stopped_by_the_constraint_and_refused_whole(sample, monkeypatch):
    """As if the other run committed between this one's check and its insert."""
    billing_run_post(JANUARY, actor="test")
    written = _written()
    exists = QuerySet.exists
    monkeypatch.setattr(
        QuerySet, "exists", lambda qs: False if qs.model is BillingRun else exists(qs)
    )
    with pytest.raises(BillingError) as lost:
        billing_run_post(JANUARY, actor="test")
    assert lost.value.error.code == "billing.already_posted"
    assert isinstance(lost.value.__cause__, IntegrityError)
    assert _written() == written
