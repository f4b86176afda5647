"""The one error type the core raises, and the exit codes the CLI turns it into."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Exit codes of `clip`. Documented in docs/exit-codes.md; never renumber them."""

    OK = 0
    ERROR = 1
    USAGE = 2
    NOT_FOUND = 3
    CONFLICT = 4
    FETCH_FAILED = 5
    INTERRUPTED = 130


class ClipperError(Exception):
    """A failure the user can act on: carries a one-line message and an exit code."""

    exit_code: ExitCode = ExitCode.ERROR

    def __init__(self, message: str, *, exit_code: ExitCode | None = None) -> None:
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code

    def __str__(self) -> str:
        return self.message


class UsageError(ClipperError):
    """The user asked for something malformed: a bad date, an empty text, a bad option value."""

    exit_code = ExitCode.USAGE


class NotFoundError(ClipperError):
    """A clipping, file or tag that does not exist."""

    exit_code = ExitCode.NOT_FOUND


class DuplicateError(ClipperError):
    """The clipping is already in the library: the reason, then (after '; ') the hint."""

    exit_code = ExitCode.CONFLICT

    def __init__(self, reason: str, existing_id: int, *, hint: str = "") -> None:
        super().__init__(f"{reason}; {hint}" if hint else reason)
        self.reason = reason  # what is already kept, for a report that gives its own advice
        self.hint = hint  # what the command that refused it lets the user do about it
        self.existing_id = existing_id


class StoreError(ClipperError):
    """The library file cannot be read, written or locked."""


class NewerLibraryError(StoreError):
    """The library was written by a newer clip: not damage, and never to be repaired here."""


class FetchError(ClipperError):
    """A URL could not be fetched or held no article."""

    exit_code = ExitCode.FETCH_FAILED
