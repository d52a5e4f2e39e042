"""A consistent copy of the database, and bringing one back.

SQLite: the database's own online backup API (a consistent snapshot page by page, while
the system runs; the copy is an ordinary SQLite file). PostgreSQL: ``pg_dump`` in its
custom format (one consistent snapshot) and ``pg_restore`` back, dropping what is there
first. Uploaded files (MEDIA_ROOT) are not in the copy: keep that folder with it.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections

SQLITE_SUFFIX = ".sqlite3"
POSTGRES_SUFFIX = ".pgdump"


class BackupError(RuntimeError):
    """The copy could not be written or read back (the reason is the message)."""


def default_suffix(alias: str = "default") -> str:
    return SQLITE_SUFFIX if connections[alias].vendor == "sqlite" else POSTGRES_SUFFIX


def _pg_environment(settings: dict) -> tuple[list[str], dict]:
    args = ["--dbname", settings["NAME"]]
    if settings.get("HOST"):
        args += ["--host", settings["HOST"]]
    if settings.get("PORT"):
        args += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        args += ["--username", settings["USER"]]
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise BackupError(f"{command[0]} is not installed (PostgreSQL's client programs)")
    # A list of arguments (no shell): the program found on PATH, the settings as values.
    result = subprocess.run([tool, *command[1:]], env=env, capture_output=True, text=True,  # noqa: S603
                            check=False)
    if result.returncode != 0:
        raise BackupError(result.stderr.strip() or f"{command[0]} failed")


def backup(target: Path, alias: str = "default") -> Path:
    """Write a consistent copy of the database to ``target``; return it."""
    connection = connections[alias]
    target.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
        return target
    if connection.vendor == "postgresql":
        connection.close()  # pg_dump takes its own snapshot
        args, env = _pg_environment(connection.settings_dict)
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *args], env)
        return target
    raise BackupError(f"no backup for the {connection.vendor} database")


def restore(source: Path, alias: str = "default") -> None:
    """Replace the database's content by the copy at ``source`` (all of it)."""
    if not source.exists():
        raise BackupError(f"no such file: {source}")
    connection = connections[alias]
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            connection.ensure_connection()
            copy.backup(connection.connection)
        finally:
            copy.close()
        return
    if connection.vendor == "postgresql":
        connection.close()
        args, env = _pg_environment(connection.settings_dict)
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
              *args, str(source)], env)
        return
    raise BackupError(f"no restore for the {connection.vendor} database")
