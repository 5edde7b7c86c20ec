"""Alembic 1.8 doing the same work as bench/migrate/main.cpp.

Run by the C++ harness with Debian's /usr/bin/python3 (python3-alembic, over
python3-sqlalchemy 1.4). Alembic is used through its API (Debian installs no
`alembic` command for /usr/bin/python3).

Usage: alembic_bench.py <work dir> <tables> <revisions> <repeats>
Prints one JSON object: the seconds of each repeat, the number of differences
autogenerate found and the number of revisions upgrade applied. The upgrade runs
twice: one transaction per revision (transaction_per_migration=True, "upgrade")
and one transaction for the whole run (transaction_per_migration=False,
Alembic's default, "upgrade_one_transaction"), each from its own environment.

The schema and revision generators follow the same rules as main.cpp's
(make_table, revision_table): change both together.
"""
import json
import os
import shutil
import sys
import textwrap
import time

# The revision modules are byte-compiled by the first repeat and loaded from
# __pycache__ by the next ones, as `alembic upgrade` runs in a real project,
# even where PYTHONDONTWRITEBYTECODE is set (which would make every repeat
# compile the 200 files again: about 0.02 s more here).
sys.dont_write_bytecode = False

from alembic import command  # noqa: E402
from alembic.autogenerate import compare_metadata  # noqa: E402
from alembic.config import Config  # noqa: E402
from alembic.runtime.migration import MigrationContext  # noqa: E402
from sqlalchemy import (Boolean, Column, DateTime, Float, ForeignKeyConstraint, Index, Integer,  # noqa: E402
                        MetaData, Numeric, PrimaryKeyConstraint, String, Table, Text, UniqueConstraint, create_engine,
                        event, text)


def make_engine(path):
    """A SQLite engine with Strata's connection settings and real transactions.

    Strata's SQLite connections run PRAGMA foreign_keys=ON, journal_mode=WAL,
    synchronous=NORMAL. pysqlite's own transaction handling does not put DDL
    inside BEGIN, so Alembic's per-revision transactions would not hold the
    CREATE TABLE; SQLAlchemy's documented recipe (isolation_level=None and an
    explicit BEGIN) makes each revision one transaction, as Strata's is.
    """
    engine = create_engine(f"sqlite:///{path}", future=True)

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn):
        conn.exec_driver_sql("BEGIN")

    return engine


def remove_db(path):
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


# ---- (a) autogenerate ----

def tname(i):
    return f"t{i:03d}"


def make_schema(n, target):
    md = MetaData()
    for i in range(n):
        t = tname(i)
        cols = [
            Column("id", Integer(), nullable=False),
            Column("name", String(100), nullable=False),
            Column("body", Text()),
            Column("qty", Integer(), nullable=False, server_default=text("'0'")),
            Column("amount", Numeric(10, 2)),
            Column("ratio", Float()),
            Column("active", Boolean(), nullable=False),
            Column("created", DateTime()),
        ]
        extra = [PrimaryKeyConstraint("id", name=f"pk_{t}"), UniqueConstraint("name", name=f"uq_{t}_name")]
        if i > 0:
            parent = tname(i // 2)
            cols.append(Column("parent_id", Integer()))
            extra.append(ForeignKeyConstraint(["parent_id"], [f"{parent}.id"], name=f"fk_{t}_parent_id_{parent}"))
        if target and i % 10 == 0:
            cols.append(Column("note", String(50)))
        if target or i % 25 != 1:
            extra.append(Index(f"ix_{t}_qty", "qty"))
        Table(t, md, *cols, *extra)
    return md


def flatten(diffs):
    out = []
    for d in diffs:
        if isinstance(d, list):  # modify_* of one column come grouped
            out.extend(d)
        else:
            out.append(d)
    return out


def bench_autogenerate(path, n, target):
    """Timed: reflect + compare (the connection is open before, as on the C++ side)."""
    remove_db(path)
    engine = make_engine(path)
    make_schema(n, False).create_all(engine)
    with engine.connect() as conn:
        t = time.perf_counter()
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
        diffs = flatten(compare_metadata(ctx, target))
        secs = time.perf_counter() - t
    engine.dispose()
    return secs, diffs


# ---- (b) upgrade head ----

def rev_id(k):
    return f"{0x5eed00000000 + k:012x}"


def rname(k):
    return f"r{k:04d}"


def previous_created(k):
    for j in range(k - 1, -1, -1):
        if j % 4 != 3:
            return j
    return -1


ENV_PY = '''\
from alembic import context

config = context.config
with config.attributes["engine"].connect() as connection:
    context.configure(connection=connection, target_metadata=None, transaction_per_migration=%s)
    with context.begin_transaction():
        context.run_migrations()
'''

SCRIPT_MAKO = '''\
revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
'''


def revision_source(k):
    down = repr(rev_id(k - 1)) if k > 0 else "None"
    if k % 4 == 3:
        t = rname(k - 1)
        up = f'op.add_column("{t}", sa.Column("extra", sa.String(50), nullable=True))'
        dn = f'op.drop_column("{t}", "extra")'
    else:
        t = rname(k)
        p = previous_created(k)
        parts = [
            f'"{t}"',
            'sa.Column("id", sa.Integer(), nullable=False)',
            'sa.Column("name", sa.String(100), nullable=False)',
            'sa.Column("qty", sa.Integer(), nullable=False)',
            'sa.Column("amount", sa.Numeric(10, 2), nullable=True)',
            'sa.Column("created", sa.DateTime(), nullable=True)',
        ]
        if p >= 0:
            parts.append('sa.Column("prev_id", sa.Integer(), nullable=True)')
        parts.append(f'sa.PrimaryKeyConstraint("id", name="pk_{t}")')
        parts.append(f'sa.UniqueConstraint("name", name="uq_{t}_name")')
        if p >= 0:
            parts.append(f'sa.ForeignKeyConstraint(["prev_id"], ["{rname(p)}.id"], name="fk_{t}_prev_id_{rname(p)}")')
        up = "op.create_table(\n        " + ",\n        ".join(parts) + ",\n    )"
        dn = f'op.drop_table("{t}")'
    return textwrap.dedent(f'''\
        """revision {k}"""
        from alembic import op
        import sqlalchemy as sa

        revision = {rev_id(k)!r}
        down_revision = {down}
        branch_labels = None
        depends_on = None


        def upgrade():
            {{up}}


        def downgrade():
            {{dn}}
        ''').replace("{up}", up).replace("{dn}", dn)


def write_environment(root, m, per_migration):
    """The Alembic environment: env.py, script.py.mako and m revision files (not timed).
    per_migration: transaction_per_migration (one transaction per revision) or
    one transaction around the whole run."""
    if os.path.exists(root):
        shutil.rmtree(root)
    os.makedirs(os.path.join(root, "versions"))
    with open(os.path.join(root, "env.py"), "w") as f:
        f.write(ENV_PY % per_migration)
    with open(os.path.join(root, "script.py.mako"), "w") as f:
        f.write(SCRIPT_MAKO)
    for k in range(m):
        with open(os.path.join(root, "versions", f"{rev_id(k)}_revision_{k}.py"), "w") as f:
            f.write(revision_source(k))


def bench_upgrade(path, root):
    """Timed: command.upgrade(cfg, "head") on an empty file (the engine is created
    before, as on the C++ side; env.py opens the connection). It includes what
    `alembic upgrade head` does before migrating: reading the environment and
    loading the revision files (byte-compiled after the first repeat)."""
    remove_db(path)
    engine = make_engine(path)
    cfg = Config()
    cfg.set_main_option("script_location", root)
    cfg.attributes["engine"] = engine
    t = time.perf_counter()
    command.upgrade(cfg, "head")
    secs = time.perf_counter() - t
    with engine.connect() as conn:
        head = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        tables = conn.exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE type = 'table'").scalar()
    engine.dispose()
    return secs, head, tables


def main():
    work, n, m, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    os.makedirs(work, exist_ok=True)
    out = {"autogenerate": [], "upgrade": []}

    target = make_schema(n, True)
    auto_db = os.path.join(work, "alembic_autogenerate.db")
    for _ in range(repeats):
        secs, diffs = bench_autogenerate(auto_db, n, target)
        out["autogenerate"].append(secs)
        out["autogenerate_diffs"] = len(diffs)
        kinds = {}
        for d in diffs:
            kinds[d[0]] = kinds.get(d[0], 0) + 1
        out["autogenerate_kinds"] = kinds

    up_db = os.path.join(work, "alembic_upgrade.db")
    for key, per_migration in (("upgrade", True), ("upgrade_one_transaction", False)):
        root = os.path.join(work, "env" if per_migration else "env_one_transaction")
        write_environment(root, m, per_migration)
        out[key] = []
        for _ in range(repeats):
            secs, head, tables = bench_upgrade(up_db, root)
            out[key].append(secs)
            expected_tables = sum(1 for k in range(m) if k % 4 != 3) + 1  # + alembic_version
            assert head == rev_id(m - 1), head
            assert tables == expected_tables, (tables, expected_tables)
    out["upgrade_revisions"] = m
    print(json.dumps(out))


if __name__ == "__main__":
    main()
