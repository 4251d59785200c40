"""Runs, their input problems, facts about the database, and outlets: a scan's bookkeeping.

A run is opened before a scan reads anything and closed with its status and counts; the
fingerprint recipe is recorded once, so later scans cannot mix incompatible signatures; outlets
come from the registry (updated by id on every scan) or from the inputs (kept as first seen).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import select, text

from provenance.records import InputProblem, Outlet, Run
from provenance.store import rows
from provenance.store.base import StoreBase, now, rows_in
from provenance.store.schema import InputErrorRow, OutletRow, RunRow


class RunsMixin(StoreBase):
    """Runs, input problems, the fingerprint recipe and outlets."""

    # -- runs ---------------------------------------------------------------------------------

    def begin_run(self, tool_version: str, parameters: dict, registry_version: str | None) -> int:
        """Record the start of a run and return its id."""
        with self.engine.begin() as conn:
            result = conn.execute(RunRow.__table__.insert().values(
                started_at=now(), status="running", tool_version=tool_version,
                registry_version=registry_version,
                parameters=json.dumps(parameters, sort_keys=True, ensure_ascii=False),
            ))
            return int(result.inserted_primary_key[0])

    def finish_run(self, run_id: int, status: str, counts: dict) -> None:
        """Record how a run ended (completed, interrupted, failed) and what it counted."""
        table = RunRow.__table__
        with self.engine.begin() as conn:
            conn.execute(table.update().where(table.c.id == run_id).values(
                finished_at=now(), status=status,
                counts=json.dumps(counts, sort_keys=True, ensure_ascii=False),
            ))

    def close_stale_runs(self) -> int:
        """Mark runs left ``running`` as ``interrupted`` and return how many there were.

        Call it only while holding the scan lock: then no run can still be going on, and a
        ``running`` run is one whose process died (killed, power lost) before it could close it.
        """
        table = RunRow.__table__
        with self.engine.begin() as conn:
            result = conn.execute(table.update().where(table.c.status == "running").values(
                finished_at=now(), status="interrupted"))
            return int(result.rowcount or 0)

    def runs(self) -> list[Run]:
        """Every run, oldest first."""
        table = RunRow.__table__
        with self.engine.connect() as conn:
            found = conn.execute(select(table).order_by(table.c.id)).mappings().all()
        return [rows.run_from_row(r) for r in found]

    def errors(self, run_id: int | None = None) -> list[InputProblem]:
        """Input problems of one run (or all runs), in the order they were met."""
        table = InputErrorRow.__table__
        stmt = select(table).order_by(table.c.id)
        if run_id is not None:
            stmt = stmt.where(table.c.run_id == run_id)
        with self.engine.connect() as conn:
            return [rows.problem_from_row(r) for r in conn.execute(stmt).mappings().all()]

    # -- facts about the database -------------------------------------------------------------

    def fingerprint_recipe(self) -> str | None:
        """The fingerprint recipe this database's index was built with, if any."""
        with self.engine.connect() as conn:
            row = conn.execute(text(
                "SELECT value FROM meta WHERE key = 'fingerprint_recipe'")).first()
        return row[0] if row else None

    def set_fingerprint_recipe(self, recipe: str) -> None:
        """Record the index's fingerprint recipe (once; later scans must use the same)."""
        with self.engine.begin() as conn:
            conn.execute(text("INSERT OR IGNORE INTO meta(key, value) VALUES "
                              "('fingerprint_recipe', :r)"), {"r": recipe})

    # -- outlets ------------------------------------------------------------------------------

    def sync_outlets(self, outlets: Iterable[Outlet], registry_version: str | None) -> None:
        """Insert or update registry outlets (identity comes from the registry, by id)."""
        found = [rows.outlet_row(o, "registry", registry_version) for o in outlets]
        if not found:
            return
        cols = [c.name for c in OutletRow.__table__.columns]
        with self.engine.begin() as conn:
            conn.execute(
                text(f"INSERT INTO outlet ({', '.join(cols)}) VALUES "
                     f"({', '.join(':' + c for c in cols)}) ON CONFLICT(id) DO UPDATE SET "
                     + ", ".join(f"{c}=excluded.{c}" for c in cols if c != "id")),
                [{c: r[c] for c in cols} for r in found],
            )

    def outlet_names(self, outlet_ids: Iterable[str | None]) -> dict[str, str]:
        """Display names of the given outlets."""
        table = OutletRow.__table__
        wanted = sorted({o for o in outlet_ids if o})
        with self.engine.connect() as conn:
            return {r[0]: r[1] for r in rows_in(
                conn, wanted, lambda ids: select(table.c.id, table.c.name)
                .where(table.c.id.in_(ids)))}

    def outlets(self) -> list[Outlet]:
        """Every outlet known to the database, by id."""
        table = OutletRow.__table__
        with self.engine.connect() as conn:
            found = conn.execute(select(table).order_by(table.c.id)).mappings().all()
        return [rows.outlet_from_row(r) for r in found]
