"""Fuzzing (hypothesis, bounded): any bytes, and any damage to the reference, end in a
report or a RemitError -- never another exception."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from remit.audit.verify import Report, verify_bytes, verify_text
from remit.errors import RemitError

FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def outcome(fn: object, *args: object) -> str:
    try:
        report = fn(*args)  # type: ignore[operator]
    except RemitError as exc:
        assert exc.problems
        return "error"
    assert isinstance(report, Report)
    report.to_text()
    report.to_json()
    return "report"


@FUZZ
@given(st.binary(max_size=4000))
def test_any_bytes(data: bytes) -> None:
    outcome(verify_bytes, data, "fuzz")


@FUZZ
@given(
    st.lists(
        st.tuples(
            st.floats(0, 1, allow_nan=False),
            st.integers(0, 40),
            st.text(
                alphabet=st.sampled_from(list("0123456789.,-%() <>/\nTABLEtotals\t\f")), max_size=12
            ),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_damaged_reference(reference_text: str, edits: list[tuple[float, int, str]]) -> None:
    text = reference_text
    for where, cut, insert in edits:
        at = int(where * len(text))
        text = text[:at] + insert + text[at + cut :]
    outcome(verify_text, text, "fuzz")


@FUZZ
@given(
    st.lists(
        st.tuples(
            st.floats(0, 1, allow_nan=False),
            st.integers(0, 40),
            st.text(
                alphabet=st.sampled_from(list("0123456789.,-%() <>/\nTABLEtotals\t\f")), max_size=12
            ),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_damaged_bankers_trust(bt_text: str, edits: list[tuple[float, int, str]]) -> None:
    """The second layout family under the same damage."""
    text = bt_text
    for where, cut, insert in edits:
        at = int(where * len(text))
        text = text[:at] + insert + text[at + cut :]
    outcome(verify_text, text, "fuzz")


@FUZZ
@given(st.integers(0, 40_000), st.integers(1, 400))
def test_bankers_trust_with_a_piece_missing(bt_text: str, at: int, length: int) -> None:
    """A piece of the statement cut out anywhere: a report or a located error."""
    outcome(verify_text, bt_text[:at] + bt_text[at + length :], "fuzz")
