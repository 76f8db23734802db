"""Reports written in pieces read exactly as the whole would.

A large report is written as it is made (``json.chunks``, ``html.script_json``), never
held whole; these properties say the pieces join into the very text of one
``json.dumps`` of the whole, escaped for a <script> element where it goes in one, for any
values and however the rows fall into batches."""
from __future__ import annotations

import json
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.report import html
from checker.report import json as json_report

# Text with what JSON and a <script> element must escape: quotes, backslashes, controls,
# markup characters, U+2028/2029, and non-ASCII letters that json.dumps keeps as they are.
TEXT = st.text(alphabet=st.sampled_from(list('ab"\\\n\t\x00<>&/\u2028\u2029é–Д\U0001f600 ')),
               max_size=12)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                    st.floats(allow_nan=False, allow_infinity=False), TEXT)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=5), st.dictionaries(TEXT, inner, max_size=5)), max_leaves=40)
# A report or a page's data: a dict of lists, dicts and scalars.
TOP = st.dictionaries(TEXT, st.one_of(st.lists(VALUES, max_size=9),
                                      st.dictionaries(TEXT, VALUES, max_size=9), VALUES),
                      max_size=6)


@settings(max_examples=200, deadline=None)
@given(TOP, st.integers(1, 4))
def test_script_json_pieces_are_the_escaped_json_of_the_whole(value, batch):
    whole = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        whole = whole.replace(char, escape)
    with mock.patch.object(html, "BATCH", batch):
        assert "".join(html.script_json(value)) == whole
    assert json.loads(whole) == value


@settings(max_examples=200, deadline=None)
@given(TOP, st.sampled_from([None, 2]))
def test_json_report_pieces_are_json_dumps_of_the_whole(report, indent):
    assert "".join(json_report.chunks(report, indent)) == json.dumps(
        report, ensure_ascii=False, indent=indent) + "\n"
