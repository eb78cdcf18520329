"""Write domain records built outside the session with Core bulk statements (the intake path).

The domain methods still decide every change (``qualify_lead``, ``lead.disqualify``) and record
their events; only the writing differs from the unit of work. Records are *detached*: built
from rows or new, never added to the session, so the ORM flush (a dependency sort and
attribute history per object) is not paid per lead. Ids come back through ``RETURNING`` in
parameter order, and every pending event is written with its record's id, as the unit of
work would.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Dialect,
    Table,
    any_,
    bindparam,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from pipeline.domain.events import Event, HasEvents
from pipeline.domain.lead import Lead
from pipeline.domain.opportunity import Opportunity
from pipeline.store import tables as t
from pipeline.store.mapping import RECORD_TYPES

LEAD_OUTCOME = ("state", "status", "disqualify_note", "account_id", "contact_id")


def one_of(
    session: Session, column: ColumnElement[Any], values: Iterable[Any]
) -> ColumnElement[bool]:
    """``column IN (values)``; on PostgreSQL ``column = ANY(:array)``, one parameter, so the
    statement text stays the same for every batch and is not parsed again each time."""
    items = list(values)
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, items, type_=ARRAY(column.type)))
    return column.in_(items)


def detached_lead(row: Mapping[str, Any]) -> Lead:
    """A Lead built from a ``leads`` row, not attached to any session."""
    names = Lead.__dataclass_fields__
    lead = Lead(**{k: v for k, v in row.items() if k in names and k != "id"})
    lead.id = row["id"]
    return lead


def column_values(obj: object, table: Table, **fks: Any) -> dict[str, Any]:
    """The row of ``obj`` for ``table`` (every column but ``id``), foreign keys from ``fks``."""
    row = {c.name: getattr(obj, c.name, None) for c in table.columns if c.name != "id"}
    row.update(fks)
    return row


def insert_rows(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Plain bulk INSERT of ``rows`` (all with the keys of the first), straight to the driver.

    The statement is compiled once and each column's bind processor (JSON, dates, money,
    enums) is applied here, so the per-row cost is one tuple or dict instead of SQLAlchemy's
    general parameter construction, which dominated intake. Same stored values as
    ``session.execute(insert(table), rows)``. On PostgreSQL the rows go through COPY, in the
    session's transaction: one stream instead of a statement per row on the server.
    """
    if not rows:
        return
    conn = session.connection()
    sql, order, procs, positional = _compiled_insert(conn.dialect, table, tuple(rows[0]))
    values = _row_values(rows, order, procs)
    if conn.dialect.name == "postgresql":
        _copy_rows(conn, table, order, values)
        return
    params: list[Any] = values if positional else [dict(zip(order, v, strict=True)) for v in values]
    for i in range(0, len(params), _DRIVER_BATCH):
        conn.exec_driver_sql(sql, params[i : i + _DRIVER_BATCH])


def _row_values(
    rows: Sequence[Mapping[str, Any]], order: list[str], procs: list[Any]
) -> list[tuple[Any, ...]]:
    """Each row's values in ``order``, through the bind processors of the columns that have
    one (C-level item fetching; only JSON, dates and the like pay a Python call)."""
    if len(order) == 1:
        key, proc = order[0], procs[0]
        return [(proc(r[key]) if proc else r[key],) for r in rows]
    fetch = itemgetter(*order)
    convert = [(i, p) for i, p in enumerate(procs) if p is not None]
    if not convert:
        return [fetch(r) for r in rows]
    out = []
    for r in rows:
        v = list(fetch(r))
        for i, p in convert:
            v[i] = p(v[i])
        out.append(tuple(v))
    return out


def _copy_rows(
    conn: Connection, table: Table, columns: list[str], rows: list[tuple[Any, ...]]
) -> None:
    """``COPY table (columns) FROM STDIN`` on the session's own psycopg connection."""
    driver = conn.connection.driver_connection
    assert driver is not None
    names = ", ".join(f'"{c}"' for c in columns)
    with driver.cursor() as cur, cur.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)


_DRIVER_BATCH = 5000
_Compiled = tuple[str, list[str], list[Any], bool]
_compiled: dict[tuple[str, str, tuple[str, ...]], _Compiled] = {}


def _compiled_insert(dialect: Dialect, table: Table, keys: tuple[str, ...]) -> _Compiled:
    """(SQL, parameter names in order, bind processor per name or None, positional?)."""
    cache_key = (dialect.name, table.name, keys)
    if cache_key not in _compiled:
        compiled = insert(table).compile(dialect=dialect, column_keys=list(keys))
        positional = bool(compiled.positional)
        order = list(compiled.positiontup or ()) if positional else list(keys)
        if sorted(order) != sorted(keys):
            raise ValueError(f"INSERT into {table.name} binds {order}, rows have {list(keys)}")
        procs = [table.c[k].type._cached_bind_processor(dialect) for k in order]
        _compiled[cache_key] = (compiled.string, order, procs, positional)
    return _compiled[cache_key]


def allocate_ids(session: Session, table: Table, count: int) -> list[int]:
    """``count`` new ids for ``table``, so rows can be inserted with plain executemany.

    PostgreSQL draws them from the column's sequence. SQLite takes the next ones after the
    largest id; that is safe only while this transaction holds the write lock, which intake
    takes first (``ledger.lock_intake``). RETURNING is not used because SQLite cannot return
    ids in parameter order for a batch and falls back to one statement per row.
    """
    if count <= 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        seq = session.execute(select(func.pg_get_serial_sequence(table.name, "id"))).scalar_one()
        series = func.generate_series(1, count).table_valued("n")
        return [int(x) for x in session.scalars(select(func.nextval(seq)).select_from(series))]
    top = session.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
    return list(range(int(top) + 1, int(top) + count + 1))


def insert_with_ids(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Bulk insert ``rows`` with ids from ``allocate_ids``; the ids in the order of ``rows``."""
    ids = allocate_ids(session, table, len(rows))
    if ids:
        insert_rows(session, table, [{"id": i, **r} for r, i in zip(rows, ids, strict=True)])
    return ids


def write_qualified(session: Session, opportunities: Sequence[Opportunity], actor: str) -> None:
    """Insert the accounts, contacts, opportunities and lines that qualification built for
    detached leads, link the leads, and write every event."""
    if not opportunities:
        return
    accounts = [o.account for o in opportunities if o.account and o.account.id is None]
    _insert_new(session, t.accounts, accounts, [column_values(a, t.accounts) for a in accounts])
    contacts = [o.contact for o in opportunities if o.contact and o.contact.id is None]
    rows = [column_values(c, t.contacts, account_id=_id(c.account)) for c in contacts]
    _insert_new(session, t.contacts, contacts, rows)
    rows = [
        column_values(
            o,
            t.opportunities,
            lead_id=_id(o.lead),
            account_id=_id(o.account),
            contact_id=_id(o.contact),
        )
        for o in opportunities
    ]
    _insert_new(session, t.opportunities, opportunities, rows)
    lines = [
        column_values(line, t.opportunity_lines, opportunity_id=o.id)
        for o in opportunities
        for line in o.lines
    ]
    if lines:
        insert_rows(session, t.opportunity_lines, lines)
    leads = [o.lead for o in opportunities if o.lead is not None]
    update_leads(session, leads)
    records: list[HasEvents] = [*leads, *accounts, *contacts, *opportunities]
    write_events(session, records, actor)


def _insert_new(
    session: Session, table: Table, objs: Sequence[Any], rows: Sequence[dict[str, Any]]
) -> None:
    """Insert ``rows`` and give each object of ``objs`` (same order) its new id."""
    for obj, new_id in zip(objs, insert_with_ids(session, table, rows), strict=True):
        obj.id = new_id


def update_leads(session: Session, leads: Sequence[Lead]) -> None:
    """Write the outcome columns (state, status, note, links) of detached leads."""
    if not leads:
        return
    stmt = (
        update(t.leads)
        .where(t.leads.c.id == bindparam("b_id"))
        .values({k: bindparam(f"b_{k}") for k in LEAD_OUTCOME})
    )
    session.execute(
        stmt,
        [
            {
                "b_id": lead.id,
                "b_state": lead.state,
                "b_status": lead.status,
                "b_disqualify_note": lead.disqualify_note,
                "b_account_id": _id(lead.account),
                "b_contact_id": _id(lead.contact),
            }
            for lead in leads
        ],
    )


def write_events(session: Session, records: Sequence[HasEvents], actor: str) -> None:
    """Every pending event of ``records`` (which have ids by now), in the order they happened."""
    found = [(obj, e) for obj in records for e in obj.pending_events()]
    found.sort(key=lambda pair: (pair[1].at, pair[1].seq))
    rows = [event_row(obj, e, actor) for obj, e in found]
    for obj in records:
        obj.pending_events().clear()
    if rows:
        insert_rows(session, t.events, rows)


def event_row(obj: object, e: Event, actor: str) -> dict[str, Any]:
    """The ``events`` row for one domain event of ``obj``."""
    return {
        "record_type": RECORD_TYPES[type(obj)],
        "record_id": getattr(obj, "id", None),
        "action": e.action,
        "from_state": e.from_state,
        "from_status": e.from_status,
        "to_state": e.to_state,
        "to_status": e.to_status,
        "actor": e.actor or actor,
        "at": e.at,
        "details": dict(e.details),
    }


def _id(obj: object | None) -> int | None:
    return None if obj is None else getattr(obj, "id", None)
