"""A throwaway PostgreSQL cluster for the tests and the benchmark: initdb and pg_ctl in a temporary folder.

The server listens on a Unix socket in that folder only (no TCP port), runs as an unprivileged user (as
root, the user ``nobody``: PostgreSQL refuses to run as root), and is removed with its folder afterwards.
The binaries are found on PATH or in Debian's /usr/lib/postgresql/VERSION/bin.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
import weakref
from pathlib import Path

PORT = 5432  # only names the socket file (.s.PGSQL.5432); nothing listens on TCP
USER = "revalidatie"


def postgres_bin() -> Path | None:
    """The folder with initdb, pg_ctl and postgres, or ``None`` when PostgreSQL is not installed."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    return versions[-1].parent if versions else None


class Cluster:
    """One PostgreSQL server in a temporary folder; :meth:`url` gives a fresh database's URL.

    Args:
        bin_dir: Where the PostgreSQL programs are (:func:`postgres_bin`).

    """

    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        # A short path: a Unix socket's path may be at most 107 bytes long.
        self.root = Path(tempfile.mkdtemp(prefix="rvpg-", dir="/tmp"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self._runner: list[str] = []
        if os.geteuid() == 0:
            os.chown(self.root, *self._nobody())
            self._runner = ["runuser", "-u", "nobody", "--"]
        self._run("initdb", "-D", str(self.data), "-U", USER, "-A", "trust", "-E", "UTF8", "--no-sync")
        # However the test run ends, the server does not outlive it.
        self._finalizer = weakref.finalize(self, Cluster._remove, self.bin, self._runner, self.data, self.root)
        self.start()

    @staticmethod
    def _nobody() -> tuple[int, int]:
        import pwd

        entry = pwd.getpwnam("nobody")
        return entry.pw_uid, entry.pw_gid

    def _run(self, program: str, *args: str) -> None:
        command = [*self._runner, str(self.bin / program), *args]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        if result.returncode != 0:
            log = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
            raise RuntimeError(f"{program} failed ({result.returncode}): {result.stderr}{result.stdout}\n{log}")

    def start(self) -> None:
        """Start the server (again) and wait until it accepts connections."""
        options = (
            f"-k {self.root} -c listen_addresses='' -p {PORT} -c fsync=off -c full_page_writes=off"
            " -c max_connections=200 -c shared_buffers=32MB"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        """Stop the server: ``fast`` (a clean shutdown) or ``immediate`` (as if the process died)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def url(self, database: str = "postgres") -> str:
        """The URL of ``database`` on this server's socket."""
        return f"postgresql://{USER}@/{database}?host={self.root}&port={PORT}"

    def create_database(self) -> str:
        """A new empty database; returns its URL."""
        import psycopg

        name = f"feeds_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"'.encode())
        return self.url(name)

    def close(self) -> None:
        """Stop the server (when it runs) and remove its folder."""
        self._finalizer()

    @staticmethod
    def _remove(bin_dir: Path, runner: list[str], data: Path, root: Path) -> None:
        command = [*runner, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "-t", "30", "stop"]
        with contextlib.suppress(subprocess.SubprocessError, OSError):  # stopped already
            subprocess.run(command, capture_output=True, timeout=60, check=False)
        pid_file = data / "postmaster.pid"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and pid_file.exists():
            time.sleep(0.1)
        if pid_file.exists():  # pg_ctl could not stop it: end the server this cluster started, by its id
            with contextlib.suppress(OSError, ValueError, IndexError):
                os.kill(int(pid_file.read_text(encoding="ascii").split()[0]), signal.SIGKILL)
                time.sleep(0.5)
        shutil.rmtree(root, ignore_errors=True)
