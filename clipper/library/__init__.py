"""The use cases: what clip does with a library, between the command line and the layers below.

`core.Library` is the facade every command calls; the other modules are its parts (a draft's
intake, duplicates and near links, imports, the doctor, snapshots, push and pull). Only the
layers above (cli/, render/, serve/, watch/, team/) import this package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from clipper.library.core import Library

__all__ = ["Library"]


def __getattr__(name: str) -> object:
    # `from clipper.library import Library` keeps working, loaded on first use so that
    # importing one of the package's modules does not load the facade and all below it.
    if name == "Library":
        from clipper.library.core import Library

        return Library
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
