"""A throwaway PostgreSQL server for the team library's tests: the machine's own initdb and
pg_ctl in a temporary folder (as the postgres user when the tests run as root, since
PostgreSQL refuses to run as root), on a free loopback port, with trust authentication."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SERVER_USER = "postgres"  # the account the server runs as under root


def binaries() -> Path | None:
    """The folder of initdb and pg_ctl: on PATH, else the newest /usr/lib/postgresql/*/bin."""
    found = shutil.which("pg_ctl")
    if found and (Path(found).resolve().parent / "initdb").exists():
        return Path(found).resolve().parent  # /usr/local/bin may hold links to the real ones
    def version(folder: str) -> int:
        name = Path(folder).parent.name
        return int(name) if name.isdigit() else 0

    folders = sorted((str(p) for p in Path("/usr/lib/postgresql").glob("*/bin")), key=version)
    for folder in reversed(folders):
        if (Path(folder) / "pg_ctl").exists() and (Path(folder) / "initdb").exists():
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    """A running server: connect as `user` to 127.0.0.1:`port`."""

    bin: Path
    folder: Path
    port: int
    user: str
    as_root: bool

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, database: str = "postgres", user: str | None = None) -> str:
        return f"postgresql://{user or self.user}@127.0.0.1:{self.port}/{database}"

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", SERVER_USER, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=False,
                              stdin=subprocess.DEVNULL, cwd=self.folder)  # fmt: skip

    def start(self) -> None:
        done = self.run("initdb", "-D", str(self.data), "-U", self.user, "-A", "trust",
                        "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed: {done.stderr.strip()}")
        # Trust for the test user; a password for the others (the wrong-password test).
        rules = self.data / "pg_hba.conf"
        rules.write_text(
            f"local all all trust\nhost all {self.user} 127.0.0.1/32 trust\n"
            "host all all 127.0.0.1/32 scram-sha-256\n"
        )
        if self.as_root:
            account = pwd.getpwnam(SERVER_USER)
            os.chown(rules, account.pw_uid, account.pw_gid)
        options = (f"-c listen_addresses=127.0.0.1 -p {self.port} "
                   f"-c unix_socket_directories={self.folder} -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off "
                   "-c max_connections=60")  # fmt: skip
        # -w: pg_ctl waits until the server accepts connections (it polls, like pg_isready).
        started = self.run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "log"),
                           "-o", options, "-w", "-t", "120", "start")  # fmt: skip
        if started.returncode != 0:
            log = (self.folder / "log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"pg_ctl start failed: {started.stderr.strip()} {log}")
        ready = self.run("pg_isready", "-h", "127.0.0.1", "-p", str(self.port), "-t", "60")
        if ready.returncode != 0:
            raise RuntimeError(f"the server is not ready: {ready.stdout} {ready.stderr}")

    def stop(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")


def start_server() -> Server:
    """Start a server in a new temporary folder; RuntimeError when it cannot."""
    folder_bin = binaries()
    if folder_bin is None:
        raise FileNotFoundError("no PostgreSQL binaries (initdb, pg_ctl)")
    as_root = os.geteuid() == 0
    folder = Path(tempfile.mkdtemp(prefix="clip-pg-"))
    if as_root:
        account = pwd.getpwnam(SERVER_USER)
        os.chown(folder, account.pw_uid, account.pw_gid)
    server = Server(folder_bin, folder, _free_port(), "clip_test", as_root)
    try:
        server.start()
    except BaseException:
        remove(server)  # a server that started but failed its check is stopped too
        raise
    return server


def remove(server: Server) -> None:
    if (server.data / "postmaster.pid").exists():
        server.stop()
    shutil.rmtree(server.folder, ignore_errors=True)
