"""Coverage-guided fuzzing of one article file's way through ``checker check``, by hand.

    pip install atheris        # not a test dependency: CI fuzzes with hypothesis instead
    python fuzz/atheris_target.py -max_total_time=60
    python fuzz/atheris_target.py crash-<sha1>      # run one saved input again

Each input is the bytes of an article file; its first byte says which kind of file
(.txt, .md or .html) and the rest is the file. It goes the way ``checker check`` takes
it: decoding, front matter, HTML extraction, claims, the default rules with a fixture
article beside it (so that figures can disagree), the report model, and the JSON and
HTML reports. A crash is any exception but ``DocumentError`` (a file the CLI reports and
skips), JSON that a strict parser refuses, and markup in the HTML report that the
template does not write: an element or attribute made from the article, or a link that
is not to the page itself or the web.

tests/test_fuzz.py checks the same properties with generated input for a bounded time in
CI; libFuzzer's coverage guidance reaches further given hours. Without a folder argument,
the corpus is ``$TMPDIR/checker-fuzz-corpus``, seeded from the fixtures on first use;
without ``-dict=``, ``checker.dict`` beside this file gives the tokens of front matter,
YAML and HTML that byte-level mutation alone rarely spells.
"""
from __future__ import annotations

import copy
import json
import re
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["checker"]):
    from checker import ruleset
    from checker.claims.extract import extract_documents
    from checker.documents import decode, document_from_text, load_document
    from checker.engine import check
    from checker.errors import DocumentError
    from checker.report import html as html_report
    from checker.report import json as json_report
    from checker.report import model

REPO = Path(__file__).resolve().parent.parent
KINDS = ("text", "markdown", "html")
SUFFIXES = {"text": ".txt", "markdown": ".md", "html": ".html"}
RULES = ruleset.load([REPO / "checker" / "default_rules"])
TEMPLATE = (REPO / "checker" / "report" / "templates" / "report.html.j2").read_text("utf-8")
# The only markup a report may hold is the template's own: its tag and attribute names.
# (html.parser gives them in lower case, as browsers do.)
TAGS = {t.lower() for t in re.findall(r"<([a-zA-Z][a-zA-Z0-9-]*)", TEMPLATE)}
ATTRIBUTES = {a.lower() for a in re.findall(r"\s([a-zA-Z][a-zA-Z0-9:-]*)=\"", TEMPLATE)
              + re.findall(r" (checked|hidden)[ >{]", TEMPLATE)}
LINK = re.compile(r"^(#|https?://|data:,$)", re.I)


def _companion():
    """A fixture article, extracted once: copied for each input, as checking changes it."""
    doc = load_document(REPO / "fixtures" / "sources" / "000-slidstvo-foreign-prisoners.txt",
                        "fixture")
    documents, claims, _ = extract_documents([doc])
    return documents[0], claims


COMPANION = _companion()


class _Markup(HTMLParser):
    """Fails on an element, attribute or link that the template does not write."""

    def handle_starttag(self, tag, attrs):
        assert tag in TAGS, f"element <{tag}> made from input"
        for name, value in attrs:
            assert name in ATTRIBUTES, f"attribute {name} on <{tag}> made from input"
            if name in ("href", "src"):
                assert LINK.match(value or ""), f"link {value!r} made from input"

    handle_startendtag = handle_starttag


def _reject(constant):
    raise ValueError(f"{constant} in JSON output")


def test_one_input(data: bytes) -> None:
    if not data:
        return
    kind = KINDS[data[0] % len(KINDS)]
    path = f"article{SUFFIXES[kind]}"
    try:
        doc = document_from_text(decode(data[1:], path), "article", path, kind)
    except DocumentError as exc:
        assert exc.path == path and len(str(exc).splitlines()) == 1, str(exc)
        return
    documents, claims, problems = extract_documents([doc, copy.deepcopy(COMPANION[0])])
    if problems:
        return
    claims = [c for c in claims if c.doc == "article"] + copy.deepcopy(COMPANION[1])
    result = check(documents, claims, RULES)
    report = model.build(documents, claims, result.findings, measures=result.measures,
                         copies=result.copies, inferred=result.inferred)
    json.loads(json_report.render(report), parse_constant=_reject)
    page = html_report.render(report, {d.id: d.text for d in documents})
    page.encode("utf-8")
    markup = _Markup()
    markup.feed(page)
    markup.close()


def _seeds() -> list[bytes]:
    """Every fixture article, and every source of the rules' examples as Markdown with
    its date in front matter: short inputs that already give findings run fastest."""
    seeds = [bytes([KINDS.index(kind)]) + path.read_bytes()
             for path in sorted((REPO / "fixtures").rglob("*"))
             for kind, suffix in SUFFIXES.items() if path.suffix == suffix]
    for rule in RULES.rules:
        for example in rule.examples:
            for source in example.sources:
                front = f"---\npublished: {source.get('published') or ''}\ntitle: {source['id']}\n---\n"
                seeds.append(b"\x01" + (front + source["text"]).encode("utf-8"))
    return seeds


def _seed_corpus() -> str:
    """The default corpus folder, seeded on first use."""
    folder = Path(tempfile.gettempdir()) / "checker-fuzz-corpus"
    if not folder.is_dir():
        folder.mkdir()
        for i, seed in enumerate(_seeds()):
            (folder / f"seed-{i:03d}").write_bytes(seed)
    return str(folder)


def main() -> None:
    args = sys.argv
    if not any(a.startswith("-dict=") for a in args[1:]):
        args = args + [f"-dict={Path(__file__).with_name('checker.dict')}"]
    if not any(not a.startswith("-") for a in args[1:]):
        args = args + [_seed_corpus()]
    atheris.Setup(args, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
