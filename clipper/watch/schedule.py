"""How to run the watches on a schedule: a crontab line and a systemd user timer for one
library, with the paths written out (cron and systemd start with an almost empty environment)."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

from clipper.errors import UsageError


@dataclass(slots=True)
class Schedule:
    crontab: str
    service: str
    timer: str


def parse_every(value: str) -> int:
    """Minutes from 15m, 30m, 1h, 6h ...: a divisor of an hour, or a whole number of hours
    dividing a day, since a crontab line can only say those evenly."""
    text = value.strip().lower()
    number, unit = text[:-1], text[-1:]
    minutes = int(number) * (60 if unit == "h" else 1) if number.isdigit() and unit in "mh" else 0
    if minutes and (
        (minutes < 60 and 60 % minutes == 0) or (minutes % 60 == 0 and 24 % (minutes // 60) == 0)
    ):
        return minutes
    raise UsageError(
        f"{value!r} is not an interval cron can keep evenly: use 5m, 10m, 15m, 20m, 30m, 1h, "
        "2h, 3h, 4h, 6h, 8h, 12h or 24h."
    )


def schedule(
    clip: list[str], library: str, logs: Path, *, minutes: int = 60, digest: Path | None = None
) -> Schedule:
    """The crontab line and systemd units that run `clip watch run` on the library (a folder
    or a team library's URL) every `minutes`, the cron line logging into `logs`."""
    args = [*clip, "--library", library, "watch", "run", "--quiet"]
    if digest is not None:
        args += ["--digest", str(digest)]
    command = shlex.join(args)
    log = shlex.quote(str(logs / "watch.log"))
    every = f"*/{minutes}" if minutes < 60 else "0"
    hours = "*" if minutes <= 60 else f"*/{minutes // 60}"
    crontab = f"{every} {hours} * * * {command} >> {log} 2>&1"
    service = (
        "[Unit]\nDescription=clip: run the feed watches\n\n"
        f"[Service]\nType=oneshot\nExecStart={command}\n"
    )
    timer = (
        "[Unit]\nDescription=clip: run the feed watches regularly\n\n"
        f"[Timer]\nOnBootSec=5min\nOnUnitActiveSec={minutes}min\nPersistent=true\n\n"
        "[Install]\nWantedBy=timers.target\n"
    )
    return Schedule(crontab, service, timer)
