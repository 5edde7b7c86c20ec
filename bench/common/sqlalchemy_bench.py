"""SQLAlchemy 1.4 ORM doing the same work as the C++ runtime benchmarks
(bench/runtime on SQLite, bench/postgresql with psycopg2).

Run by the C++ harnesses with Debian's /usr/bin/python3 (python3-sqlalchemy,
python3-psycopg2). Usage: sqlalchemy_bench.py <database URL> <rows>, the URL
as SQLAlchemy spells it (sqlite:////abs/file.db, postgresql+psycopg2://...).
Creates (and on PostgreSQL drops again) table bench_item. Prints one JSON
object of seconds: {"insert": s, "select": s, "get": s}.
"""
import json
import sys
import time

from sqlalchemy import Boolean, Column, Float, Integer, String, Text, create_engine, event, select, text
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class BenchItem(Base):
    __tablename__ = "bench_item"
    id = Column(Integer, primary_key=True, autoincrement=True)
    title = Column(String(255), nullable=False)
    description = Column(Text, nullable=True)
    quantity = Column(Integer, nullable=False)
    price = Column(Float, nullable=False)
    is_completed = Column(Boolean, nullable=False)


def main():
    url, n = sys.argv[1], int(sys.argv[2])
    engine = create_engine(url, future=True)
    sqlite = engine.dialect.name == "sqlite"
    if sqlite:
        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record):  # the settings of Strata's SQLite connections
            cur = dbapi_connection.cursor()
            for pragma in ("foreign_keys=ON", "journal_mode=WAL", "synchronous=NORMAL"):
                cur.execute(f"PRAGMA {pragma}")
            cur.close()
    else:
        Base.metadata.drop_all(engine)

    Base.metadata.create_all(engine)
    out = {}

    t = time.perf_counter()
    with Session(engine) as s:
        s.add_all(
            BenchItem(title=f"item {i}", description=None if i % 2 else f"description of item {i}",
                      quantity=i, price=i * 0.5, is_completed=bool(i % 3 == 0))
            for i in range(n)
        )
        s.commit()
    out["insert"] = time.perf_counter() - t
    if not sqlite:  # as the C++ side does between insert and select
        with engine.connect() as c:
            c.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE bench_item"))

    t = time.perf_counter()
    with Session(engine) as s:
        rows = s.execute(select(BenchItem)).scalars().all()
        assert len(rows) == n
    out["select"] = time.perf_counter() - t

    t = time.perf_counter()
    with Session(engine) as s:
        for i in range(1, n + 1):
            obj = s.get(BenchItem, i)
            assert obj is not None
    out["get"] = time.perf_counter() - t
    if not sqlite:
        Base.metadata.drop_all(engine)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
