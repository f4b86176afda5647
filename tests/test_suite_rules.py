"""The suite's own rules: no test outcome rests on how fast the machine happens to be."""

from __future__ import annotations

import ast
from pathlib import Path

from hypothesis import HealthCheck, settings

TESTS = Path(__file__).parent


def settings_calls() -> list[tuple[str, ast.Call]]:
    """Every `settings(...)` call in the test modules, with where it is."""
    calls = []
    for path in sorted(TESTS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "settings":
                calls.append((f"{path.name}:{node.lineno}", node))
    return calls


def test_property_tests_have_no_deadline_and_no_slowness_check() -> None:
    assert settings.default is not None  # for the type checker: a profile is loaded
    assert settings.default.deadline is None
    assert HealthCheck.too_slow in settings.default.suppress_health_check


def test_no_property_test_brings_back_a_clock() -> None:
    """An explicit `deadline=` must be None; an explicit health-check list replaces the
    profile's, so it must keep too_slow suppressed."""
    offenders = []
    for where, call in settings_calls():
        for keyword in call.keywords:
            value = ast.unparse(keyword.value)
            if keyword.arg == "deadline" and value != "None":
                offenders.append(f"{where} deadline={value}")
            if keyword.arg == "suppress_health_check" and "too_slow" not in value:
                offenders.append(f"{where} suppress_health_check={value}")
    assert offenders == []
    assert len(settings_calls()) > 5  # the scan sees the suite's settings
