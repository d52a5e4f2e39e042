"""A benchmark that measures in a database of its own, in a child process: the parent makes
the database (a fresh SQLite file, or a database on the PostgreSQL server DATABASE_URL
names), runs ``manage.py <command> --child …`` in it with DEBUG off, passes its lines
through, and drops the database at the end unless asked to keep it. The child then builds
its data and times its figures (``measure``)."""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError


def run_in_child(command, *, name: str, database: str, args=(), keep: bool = False,
                 postgres_only: str = "", extra_env=None) -> None:
    """Run ``manage.py name --child *args`` in the database ``database`` (made for the run),
    writing the child's lines to ``command.stdout``. ``postgres_only``: the message when the
    benchmark runs on PostgreSQL alone and DATABASE_URL names another database."""
    from bench.management.commands.bench_import import _Database

    workdir = Path(tempfile.mkdtemp(prefix=f"canlian-{name}-"))
    db = _Database(workdir, name=database)
    if postgres_only and db.vendor != "postgresql":
        shutil.rmtree(workdir, ignore_errors=True)
        raise CommandError(postgres_only)
    db.create()
    env = {**db.child_env(workdir), "ALLOWED_HOSTS": "testserver,localhost",
           "SECURE_SSL_REDIRECT": "0", "STATIC_ROOT": str(workdir / "static"),
           **{key: value.format(workdir=workdir) for key, value in (extra_env or {}).items()}}
    line = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), name, "--child",
            *map(str, args)]
    command.stdout.write(f"database: {db.where}")
    try:
        with subprocess.Popen(line, env=env, cwd=settings.BASE_DIR,  # noqa: S603
                              stdout=subprocess.PIPE, text=True) as child:
            for text in child.stdout:
                command.stdout.write(text.rstrip("\n"))
                command.stdout.flush()
        if child.returncode:
            raise CommandError(f"the measurement failed (exit {child.returncode})")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        if not keep:
            db.drop()
