"""The two engines' migrations define the same schema: every table, column (in order), NOT NULL,
primary key, foreign key and index of ``bot/store/migrations/`` has its twin in
``bot/store/migrations_pg/``, and the types agree. A SQLite migration added without its
PostgreSQL twin fails here, so the engines cannot drift apart.
"""

from __future__ import annotations

import asyncpg
import pytest

from bot.store import MIGRATIONS_DIR, Store, load_migrations
from bot.store import postgres as pg

# SQLite's declared type -> the PostgreSQL types its twin may have.
TWIN_TYPES = {
    "INTEGER": {"bigint", "integer", "smallint", "boolean"},
    "TEXT": {"text", "timestamp with time zone", "jsonb", "date"},
    "REAL": {"double precision", "real", "numeric"},
    "BLOB": {"bytea"},
}


async def sqlite_schema(path) -> dict[str, dict]:
    store = await Store.open(path)
    try:
        out = {}
        for table in await store.tables():
            info = await store.fetchall(f'PRAGMA table_info("{table}")')
            keys = sorted((r["pk"], r["name"]) for r in info if r["pk"])
            indexes = {
                r["name"]
                for r in await store.fetchall(f'PRAGMA index_list("{table}")')
                if not r["name"].startswith("sqlite_autoindex")
            }
            foreign = {
                (r["from"], r["table"], r["to"], r["on_delete"])
                for r in await store.fetchall(f'PRAGMA foreign_key_list("{table}")')
            }
            out[table] = {
                "columns": [r["name"] for r in info],
                # A SQLite INTEGER PRIMARY KEY is never NULL, whatever it declares.
                "not_null": {r["name"] for r in info if r["notnull"] or (r["pk"] and len(keys) == 1)} | {
                    name for _, name in keys
                },
                "primary_key": [name for _, name in keys],
                "indexes": indexes,
                "foreign_keys": foreign,
                "types": {r["name"]: r["type"].upper() for r in info},
            }
        return out
    finally:
        await store.close()


async def postgres_schema(url) -> dict[str, dict]:
    store = await pg.PostgresStore.open(url)
    conn = await asyncpg.connect(url)
    try:
        out = {}
        for table in await store.tables():
            columns = await conn.fetch(
                "SELECT column_name, is_nullable, data_type FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
                table,
            )
            keys = await conn.fetch(
                "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
                "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = $1::regclass AND i.indisprimary "
                "ORDER BY array_position(i.indkey::int2[], a.attnum)",
                table,
            )
            indexes = await conn.fetch(
                "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1 "
                "AND indexname NOT LIKE '%_pkey'",
                table,
            )
            foreign = await conn.fetch(
                "SELECT a.attname AS source, pc.relname AS parent, pa.attname AS target, k.confdeltype::text "
                "FROM pg_constraint k JOIN pg_class pc ON pc.oid = k.confrelid "
                "JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1] "
                "JOIN pg_attribute pa ON pa.attrelid = k.confrelid AND pa.attnum = k.confkey[1] "
                "WHERE k.contype = 'f' AND k.conrelid = $1::regclass",
                table,
            )
            actions = {"a": "NO ACTION", "c": "CASCADE", "n": "SET NULL", "r": "RESTRICT", "d": "SET DEFAULT"}
            out[table] = {
                "columns": [r["column_name"] for r in columns],
                "not_null": {r["column_name"] for r in columns if r["is_nullable"] == "NO"},
                "primary_key": [r[0] for r in keys],
                "indexes": {r[0] for r in indexes},
                "foreign_keys": {(r[0], r[1], r[2], actions[r[3]]) for r in foreign},
                "types": {r["column_name"]: r["data_type"] for r in columns},
            }
        return out
    finally:
        await conn.close()
        await store.close()


def test_every_sqlite_migration_has_a_postgresql_twin_of_the_same_number_and_name():
    sqlite = [m.name for m in load_migrations(MIGRATIONS_DIR)]
    postgres = [m.name for m in load_migrations(pg.MIGRATIONS_DIR)]
    assert postgres == sqlite, "add the PostgreSQL twin of each new file of bot/store/migrations/ to migrations_pg/"


@pytest.mark.postgres
async def test_both_engines_define_the_same_tables_columns_keys_and_indexes(tmp_path, pg_url):
    sqlite = await sqlite_schema(tmp_path / "linkwise.db")
    postgres = await postgres_schema(pg_url)
    assert sorted(postgres) == sorted(sqlite)
    for table, mine in sqlite.items():
        twin = postgres[table]
        for aspect in ("columns", "not_null", "primary_key", "indexes", "foreign_keys"):
            assert twin[aspect] == mine[aspect], f"{table}: {aspect} differ"
        for column, declared in mine["types"].items():
            kind = twin["types"][column]
            assert kind in TWIN_TYPES[declared], f"{table}.{column}: {declared} on SQLite, {kind} on PostgreSQL"


@pytest.mark.postgres
async def test_snowflakes_are_bigint_and_instants_timestamptz_on_postgresql(pg_url):
    schema = await postgres_schema(pg_url)
    for table, info in schema.items():
        for column, kind in info["types"].items():
            if column.endswith("_id") and column not in {"tip_id", "item_id", "prompt_id", "checklist_id"}:
                assert kind == "bigint", f"{table}.{column} holds a Discord id: bigint"
            if column.endswith(("_at", "_seen", "_active")) or column in {"next_run", "slot"}:
                assert kind == "timestamp with time zone", f"{table}.{column} is an instant"
