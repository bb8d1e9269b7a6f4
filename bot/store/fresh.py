"""A new SQLite database as a copy of the migrated empty one.

Migrating a new database runs every migration's DDL (56 statements, ALTER TABLEs among them):
about 4.5 ms of every fresh start, and of every test that opens a new file. The result depends
only on the migrations and on SQLite, so the first time a set of migrations brings a database
from nothing to the latest version, the store copies that database, exactly as the migrations
left it and before anything else is written to it (``VACUUM INTO``, on the connection's own
thread), into a *template* kept beside Python's bytecode (``migrations/__pycache__``), named by
a hash of the migrations and of SQLite's version. A later database created at a path where no
file exists starts as a copy of that template (a fraction of a millisecond) and finds itself
at the latest version and in WAL mode, with nothing to migrate.

Being a copy of what the migrations made, a template needs no upkeep: a new or changed
migration changes the hash, and the next new database is migrated in full (and copied again).
A template that cannot be written (an unwritable install) or read only means migrating; one
whose header is not a SQLite database at the expected version is ignored. A copy never
replaces a file: it is written beside the path and linked into place only if nothing is there
(another process creating the same database at the same instant keeps its own).
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)

PREFIX = "fresh-schema-"
_HEADER = b"SQLite format 3\x00"
_USER_VERSION = slice(60, 64)  # the header's user_version, big-endian (the schema version)


class _Migration(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def sql(self) -> str: ...


def template_path(directory: Path, migrations: Sequence[_Migration]) -> Path:
    """Where the template of ``migrations`` (the files of ``directory``) is kept."""
    digest = hashlib.sha256(f"{sqlite3.sqlite_version}\0".encode())
    for migration in migrations:
        digest.update(f"\0{migration.name}\0{migration.sql}".encode())
    return directory / "__pycache__" / f"{PREFIX}{digest.hexdigest()[:32]}.db"


def _usable(data: bytes, version: int) -> bool:
    return data.startswith(_HEADER) and int.from_bytes(data[_USER_VERSION], "big") == version


def create_from_template(path: str, template: Path, version: int) -> bool:
    """Put a copy of ``template`` at ``path`` if no file is there and the template is a SQLite
    database at schema ``version``. True if the copy is in place."""
    if os.path.lexists(path):
        return False
    try:
        data = template.read_bytes()
    except OSError:
        return False
    if not _usable(data, version):
        log.debug("the schema template %s is not a database at version %d: migrating", template, version)
        return False
    partial = f"{path}.{os.getpid()}.new"
    try:
        with open(partial, "xb") as file:
            file.write(data)
        os.link(partial, path)  # fails if a file appeared at path meanwhile: never replaced
    except OSError as error:
        log.debug("a new database could not be copied to %s (%s): migrating", path, error)
        return False
    finally:
        try:
            os.unlink(partial)
        except OSError:
            pass
    return True


def save_template(conn: sqlite3.Connection, template: Path) -> None:
    """Copy the database of ``conn`` (just migrated from nothing, nothing else written yet) to
    ``template``, atomically; call it on the connection's own thread. Never raises: a template
    that cannot be written only means migrating the next new database too."""
    partial = template.with_name(f"{template.name}.{os.getpid()}.tmp")
    try:
        template.parent.mkdir(parents=True, exist_ok=True)
        conn.execute("VACUUM INTO ?", (str(partial),))
        # In WAL mode already, as every store's database is: a copy that is not costs each new
        # database a rollback-journal transaction to convert it (2 ms with its syncs).
        copy = sqlite3.connect(partial)
        try:
            copy.execute("PRAGMA journal_mode = WAL").fetchall()
        finally:
            copy.close()  # the last connection: its WAL is emptied and removed
        os.replace(partial, template)
    except (OSError, sqlite3.Error) as error:
        log.debug("the schema template %s cannot be written (%s)", template, error)
        try:
            partial.unlink(missing_ok=True)
        except OSError:
            pass
        return
    for old in template.parent.glob(f"{PREFIX}*.db"):
        if old != template:
            try:
                old.unlink(missing_ok=True)
            except OSError:
                pass
