"""Which database: ``LINKWISE_DATABASE_URL`` parsed, shown without its password, and opened
with the right engine.

``sqlite:///linkwise.db`` (a path relative to the working directory), ``sqlite:////srv/lw.db``
(an absolute path: four slashes, as SQLAlchemy writes it), or
``postgresql://user:password@host:port/name`` (``postgres://`` too, and any libpq query
parameter such as ``?sslmode=require``). A plain path is a SQLite file.

A password never leaves this module in anything meant to be read: :func:`redact` hides it in a
URL, :func:`scrub` in any message, and :class:`DatabaseURL`'s ``repr`` and ``str`` show only the
redacted form.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from . import Store, StoreError

if TYPE_CHECKING:
    from .engine import Engine

SQLITE_SCHEMES = frozenset({"sqlite"})
POSTGRES_SCHEMES = frozenset({"postgresql", "postgres"})
HIDDEN = "***"
_SECRET_PARAMS = frozenset({"password", "passfile", "sslpassword"})

EngineName = Literal["sqlite", "postgresql"]


class DatabaseURLError(ValueError):
    """The URL is not one Linkwise can use; the message says what is accepted (without the
    password)."""


def redact(url: str) -> str:
    """``url`` with its password (and any ``password=`` query parameter) replaced by ``***``.
    Text that is not a URL is returned as it is."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return _SCRUB_USERINFO.sub(r"\1" + HIDDEN + "@", url)
    if not parts.scheme or not parts.netloc and not parts.query:
        return url
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _, hostport = netloc.rpartition("@")
        if ":" in userinfo:
            user = userinfo.split(":", 1)[0]
            netloc = f"{user}:{HIDDEN}@{hostport}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        if any(key.lower() in _SECRET_PARAMS for key, _ in pairs):
            query = urlencode([(k, HIDDEN if k.lower() in _SECRET_PARAMS else v) for k, v in pairs], safe="*")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


_SCRUB_USERINFO = re.compile(r"(\w+://[^:/@\s]*:)[^@\s]*@")


def scrub(message: str, *secrets: str | None) -> str:
    """``message`` with every password of a URL in it, and every one of ``secrets`` (raw or
    percent-encoded), replaced by ``***``: for error text from a library or a tool."""
    out = _SCRUB_USERINFO.sub(r"\1" + HIDDEN + "@", message)
    for secret in secrets:
        if secret:
            for form in {secret, quote(secret, safe=""), quote(secret)}:
                out = out.replace(form, HIDDEN)
    return out


@dataclass(frozen=True)
class DatabaseURL:
    """A parsed database location. ``url`` holds the password: it is never in ``repr``."""

    engine: EngineName
    url: str = field(repr=False)
    path: Path | None = None  # the SQLite file

    @classmethod
    def parse(cls, text: str | os.PathLike[str]) -> DatabaseURL:
        raw = os.fspath(text).strip()
        scheme = raw.split(":", 1)[0].lower() if "://" in raw else ""
        if not scheme:
            if not raw:
                raise DatabaseURLError("the database is empty; give a file path or a URL")
            return cls("sqlite", f"sqlite:///{raw}", Path(raw))
        if scheme in SQLITE_SCHEMES:
            rest = raw.split("://", 1)[1]
            if not rest.startswith("/") or rest == "/":
                raise DatabaseURLError(
                    f"{redact(raw)} is not a SQLite URL Linkwise understands: write sqlite:///file.db for a file "
                    "relative to the working directory, or sqlite:////absolute/path/file.db (four slashes)"
                )
            return cls("sqlite", raw, Path(unquote(rest[1:])))
        if scheme in POSTGRES_SCHEMES:
            try:
                parts = urlsplit(raw)
                parts.port  # noqa: B018 - raises ValueError on a port that is not a number
            except ValueError as error:
                raise DatabaseURLError(f"{redact(raw)} is not a valid PostgreSQL URL ({error})") from None
            if not parts.path.strip("/"):
                raise DatabaseURLError(
                    f"{redact(raw)} names no database: write postgresql://user:password@host:port/name"
                )
            return cls("postgresql", raw)
        raise DatabaseURLError(
            f"{redact(raw)} is not a database URL Linkwise understands: use sqlite:///path/to/file.db or "
            "postgresql://user:password@host:port/name"
        )

    @classmethod
    def for_path(cls, path: str | os.PathLike[str]) -> DatabaseURL:
        return cls("sqlite", f"sqlite:///{os.fspath(path)}", Path(path))

    @property
    def display(self) -> str:
        """How to show it: the file for SQLite, the URL without its password for PostgreSQL."""
        return str(self.path) if self.engine == "sqlite" else redact(self.url)

    @property
    def password(self) -> str | None:
        if self.engine != "postgresql":
            return None
        parts = urlsplit(self.url)
        from_query = dict(parse_qsl(parts.query)).get("password")
        return unquote(parts.password) if parts.password else from_query

    def without_password(self) -> str:
        """The URL with no password at all (for a tool given the password another way)."""
        parts = urlsplit(self.url)
        netloc = parts.netloc
        if "@" in netloc:
            userinfo, _, hostport = netloc.rpartition("@")
            netloc = f"{userinfo.split(':', 1)[0]}@{hostport}"
        pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() != "password"]
        return urlunsplit((parts.scheme, netloc, parts.path, urlencode(pairs), parts.fragment))

    def __str__(self) -> str:
        return self.display


def database(target: str | os.PathLike[str] | DatabaseURL) -> DatabaseURL:
    return target if isinstance(target, DatabaseURL) else DatabaseURL.parse(target)


async def open_store(target: str | os.PathLike[str] | DatabaseURL, *, migrate: bool = True) -> Engine:
    """Open (and migrate) the database ``target`` names with its engine: a path or a
    ``sqlite:///`` URL opens the SQLite :class:`~bot.store.Store`, a ``postgresql://`` URL the
    :class:`~bot.store.postgres.PostgresStore`."""
    db = database(target)
    if db.engine == "sqlite":
        assert db.path is not None
        return await Store.open(db.path, migrate=migrate)
    from .postgres import PostgresStore

    try:
        return await PostgresStore.open(db.url, display=db.display, migrate=migrate)
    except StoreError as error:
        raise type(error)(scrub(str(error), db.password)) from None


__all__ = ["DatabaseURL", "DatabaseURLError", "database", "open_store", "redact", "scrub"]
