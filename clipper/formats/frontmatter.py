"""A clipping as a Markdown document: YAML front matter, then the text."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import yaml

from clipper.errors import UsageError
from clipper.model import Clipping

# The fields a person may change in the front matter, in the order they are shown.
EDITABLE = (
    "title", "source", "published", "url", "authors", "tags", "language", "starred", "note",
    "passages",
)  # fmt: skip
_FENCE = "---"
# libyaml's C emitter and parser when PyYAML was built with it: the pure-Python emitter costs
# about 1 ms a clipping, most of an md-files export of 10,000 clippings.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_BASE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SCALARS = (str, int, float)


class _Loader(_BASE_LOADER):  # type: ignore[valid-type,misc]  # a class chosen at import
    """The safe loader, refusing aliases and keeping an impossible date as the text it is.

    An alias repeats a value without its size: nine lines of aliases in 1 KB make a list of a
    billion items as soon as anything walks it (the "billion laughs"). Nothing a clipping
    holds needs one. An unquoted `2023-02-30` is a YAML date that cannot be built: kept as
    text, it is reported by the validation of the field like any other bad date.
    """

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node in self.constructed_objects:
            problem = "this value is repeated by an alias (*name); write each value out instead"
            raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark)
        return super().construct_object(node, deep=deep)

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def render(header: dict[str, Any], text: str) -> str:
    """A document: the header as YAML front matter between '---' lines, then the text."""
    front = yaml.dump(
        header,
        Dumper=_DUMPER,
        allow_unicode=True,
        sort_keys=False,
        width=1000,
        default_flow_style=None,
    )
    return f"{_FENCE}\n{front}{_FENCE}\n\n{text}\n"


def split(document: str) -> tuple[dict[str, Any], str]:
    """The front matter (parsed) and the text of a document; raises UsageError if malformed."""
    lines = document.lstrip("\ufeff").split("\n")
    if not lines or lines[0].strip() != _FENCE:
        raise UsageError("the document must start with a '---' line opening the front matter.")
    try:
        # Only an unindented fence closes: YAML indents a '---' line inside a multi-line value.
        end = next(i for i in range(1, len(lines)) if lines[i].rstrip() == _FENCE)
    except StopIteration:
        raise UsageError("the front matter is not closed by a '---' line.") from None
    try:
        header = yaml.load("\n".join(lines[1:end]), Loader=_Loader) or {}
    except RecursionError:  # the pure-Python parser, where libyaml is missing
        raise UsageError("the front matter is nested too deeply.") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        problem = getattr(error, "problem", None) or "invalid YAML"
        raise UsageError(f"the front matter does not parse{where}: {problem}.") from None
    if not isinstance(header, dict):
        raise UsageError("the front matter must be a list of `field: value` lines.")
    return header, "\n".join(lines[end + 1 :]).strip("\n")


def fields_of(header: dict[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    """Header values as clipping field values; a field outside `allowed` is an error."""
    unknown = sorted(str(key) for key in header if key not in allowed)
    if unknown:
        raise UsageError(
            f"unknown field {unknown[0]!r} in the front matter; fields are {', '.join(allowed)}."
        )
    return {str(name): _coerce(str(name), value) for name, value in header.items()}


def dump(clipping: Clipping) -> str:
    """The editable document of a clipping (for `clip edit`)."""
    return render({name: getattr(clipping, name) for name in EDITABLE}, clipping.text)


def parse(document: str) -> dict[str, Any]:
    """The changed fields and text of an edited document; a malformed one raises UsageError."""
    header, text = split(document)
    fields = fields_of(header, EDITABLE)
    fields["text"] = text
    return fields


def _text_list(name: str, value: Any) -> list[str]:
    """A YAML list of text values (None: empty); anything else is refused, never str()-ed."""
    if value is None:
        return []
    if isinstance(value, list) and all(
        item is None or isinstance(item, _SCALARS) for item in value
    ):
        return [str(item) for item in value if item is not None]
    raise UsageError(f"{name} must be a list of text values, e.g. {name}: [a, b].")


def _coerce(name: str, value: Any) -> Any:
    """YAML values as a clipping's types: dates as ISO text, lists of strings, booleans."""
    if name == "passages":
        # A passage may hold commas: one text is one passage, only a YAML list is several.
        return [value] if isinstance(value, str) else _text_list(name, value)
    if name in ("authors", "tags"):
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return _text_list(name, value)
    if name == "provenance":
        return _origins(value)
    if name == "starred":
        if value is None:
            return False
        if not isinstance(value, bool):
            raise UsageError("starred must be true or false.")
        return value
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.utcoffset() == timedelta(0):
            return value.replace(tzinfo=None).isoformat() + "Z"
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, _SCALARS):
        raise UsageError(f"{name} must be text, not a {_kind(value)}.")
    return str(value)


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "list"
    return "mapping" if isinstance(value, dict) else type(value).__name__
def _origins(value: Any) -> dict[str, str]:
    """A provenance map (field -> how it was found), checked later with the draft."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise UsageError("provenance must be a map, e.g. provenance: {source: url}.")
    return {str(key): str(origin) for key, origin in value.items()}
