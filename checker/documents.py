"""Read articles (plain text, Markdown with YAML front matter, HTML) into ``Document``s.

Offsets matter more than anything here: a claim's ``start``/``end`` index into
``Document.text``, which for .txt and .md is the file exactly as decoded (UTF-8, BOM
dropped, front matter and newlines kept) so anyone can re-check the evidence with a
slice of the file. HTML has no such text, so its text is the main content that
trafilatura extracts, and offsets index that (``text_source`` says which).

Metadata comes from front matter or HTML meta tags first; otherwise the publication
date is read off the text the way real articles carry it, and ``published_from`` says
how it was known (DESIGN.md).
"""
from __future__ import annotations

import codecs
import datetime as dt
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import yaml

from .errors import CheckerError, DocumentError
from .furniture import content_spans
from .textdates import detect_published

SUFFIXES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
            ".html": "html", ".htm": "html"}
FRONT_MATTER_KEYS = ("title", "outlet", "published", "url")  # and "date" for a missing "published"
_SURROGATE = re.compile("[\ud800-\udfff]")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.S)


def lone_surrogate(text: str) -> bool:
    """Whether ``text`` holds a lone surrogate: what a "\\ud800" escape in YAML makes, which
    is no character, so no report (nor a terminal) could write it out as UTF-8."""
    return _SURROGATE.search(text) is not None


@dataclass
class Document:
    """One article: its text, where the content starts, and what is known about it."""

    id: str
    path: str
    text: str
    body_start: int = 0
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: dt.date | None = None
    published_from: str | None = None
    text_source: str = "file"
    role: str = "source"
    spans: list[tuple[int, int]] = field(default_factory=list)
    # People named anywhere in the content, set by extraction; name-variant compares them.
    people: list = field(default_factory=list)
    # Sampled shingles, once computed (independence.py); the claim store keeps them.
    shingles: list[int] | None = None

    def to_json(self) -> dict:
        return {"id": self.id, "path": self.path, "title": self.title, "outlet": self.outlet,
                "url": self.url,
                "published": self.published.isoformat() if self.published else None,
                "published_from": self.published_from, "role": self.role,
                "text_source": self.text_source}


# Articles run to tens of kilobytes; a file past this is a dump or a mistake, and
# extracting it would hold a nightly run for minutes and fill the report.
MAX_BYTES = 10_000_000
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
_KINDS_OF_FILE = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"),
                  (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"),
                  (stat.S_ISBLK, "a device"))


def read_bytes(path: str) -> bytes:
    """A file's bytes, or a DocumentError saying why not: gone, unreadable, a link loop,
    not a regular file (a named pipe would block the run for ever, so the file is opened
    without blocking and its type checked before reading), or too large for an article.
    A file name that is not UTF-8 is refused too: it becomes the document id, which the
    reports and the history must be able to write."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        raise DocumentError("the file name is not valid UTF-8; rename the file",
                            path=os.fsencode(path).decode("utf-8", "replace")) from None
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise DocumentError(f"cannot read: {exc.strerror or exc}", path=path) from None
    try:
        info = os.fstat(fd)
        for is_kind, kind in _KINDS_OF_FILE:
            if is_kind(info.st_mode):
                raise DocumentError(f"cannot read: {kind}, not a file", path=path)
        if info.st_size > MAX_BYTES:
            raise DocumentError(f"too large for an article ({info.st_size / 1e6:.1f} MB; "
                                f"the limit is {MAX_BYTES / 1e6:.0f} MB)", path=path)
        try:
            return _read_up_to(fd, MAX_BYTES + 1, info.st_size)
        except OSError as exc:
            raise DocumentError(f"cannot read: {exc.strerror or exc}", path=path) from None
    finally:
        os.close(fd)


def _read_up_to(fd: int, limit: int, size: int) -> bytes:
    """At most ``limit`` bytes from ``fd``, up to its end. Reads are sized by the file's
    ``size`` (it may still grow): asking for ``limit`` at once would allocate and free
    ten megabytes for every article."""
    parts: list[bytes] = []
    got = 0
    while got < limit:
        chunk = os.read(fd, min(limit - got, max(size + 1 - got, 1 << 16)))
        if not chunk:
            break
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)


def decode(raw: bytes, path: str) -> str:
    """UTF-8, or UTF-16/32 when a byte-order mark says so, with the mark dropped. Anything
    else is an unreadable document, not a guess: a wrong guess would misquote every name
    with an accent."""
    if len(raw) > MAX_BYTES:
        raise DocumentError(f"too large for an article (the limit is {MAX_BYTES / 1e6:.0f} MB)",
                            path=path)
    encoding = next((name for bom, name in _BOMS if raw.startswith(bom)), None)
    if encoding is None and b"\x00" in raw[:8192]:
        raise DocumentError("binary file, not an article", path=path)
    try:
        text = raw.decode(encoding or "utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        label = encoding.upper() if encoding in ("utf-16", "utf-32") else "UTF-8"
        raise DocumentError(f"not valid {label} (byte 0x{raw[exc.start]:02x})", path=path, line=line,
                            hint=_encoding_hint(raw, exc.start, encoding)) from None
    if not text.strip():
        raise DocumentError("empty file", path=path)
    if encoding not in (None, "utf-8-sig") and "\x00" in text:
        raise DocumentError("binary file, not an article", path=path)
    return text


def _encoding_hint(raw: bytes, bad: int, encoding: str | None) -> str:
    """A file with a byte-order mark, or with non-ASCII UTF-8 before the bad byte, is
    damaged (cut short, or bytes lost) and needs repair; one without was saved in a legacy
    encoding and needs converting. Which one is not guessed: on short Latin-script text
    detectors confuse Windows-1252 with its neighbours, and a wrong guess would misspell
    names."""
    if encoding not in (None, "utf-8-sig") or any(byte >= 0x80 for byte in raw[:bad]):
        return "the file is damaged here (cut short or bytes lost); repair or re-export it"
    return "convert it to UTF-8 (from Windows-1252: iconv -f WINDOWS-1252 -t UTF-8)"


class _LenientDates:
    """A date-like value that is no date (2024-13-45) stays text, so the key that holds it
    can say so with its line instead of the parser failing."""

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            return self.construct_scalar(node)


class _FrontMatterLoader(_LenientDates, yaml.SafeLoader):
    """SafeLoader with lenient dates."""


_FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp",
                                   _FrontMatterLoader.construct_yaml_timestamp)

# Front matter as articles carry it: ``key: value`` lines whose values are plain (no
# indicator first, no ": " or " #" inside, no tab) or quoted without escapes. libyaml and
# PyYAML's own parser disagree on some corners of YAML (tabs, byte-order marks, empty
# tags, block scalars, "?" keys in flow mappings) but not on these lines.
_PLAIN_VALUE = r"[^\s!&*|>'\"%@`#{}\[\],?:\-~](?:[^\s:#]|:(?=[^\s:])|#| +(?=[^\s#]))*"
_QUOTED_VALUE = r"\"[^\"\\\n]*\"|'[^'\n]*'"
_SIMPLE_YAML = re.compile(rf"(?:[A-Za-z_][\w-]*:(?: +(?:{_PLAIN_VALUE}|{_QUOTED_VALUE}))? *\n)*\Z")

if getattr(yaml, "__with_libyaml__", False):
    class _FastFrontMatterLoader(_LenientDates, yaml.CSafeLoader):
        """_FrontMatterLoader with libyaml's parser, eight times quicker, for the simple
        front matter that _SIMPLE_YAML accepts. The constructors and resolver are the same
        Python code, so both build the same values."""

    _FastFrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp",
                                           _FastFrontMatterLoader.construct_yaml_timestamp)
else:  # PyYAML built without libyaml
    _FastFrontMatterLoader = None


def _load_yaml(source: str):
    """The YAML document in ``source``, as _FrontMatterLoader reads it. Should libyaml
    refuse it, it is read again by _FrontMatterLoader, whose error (and line) is the one
    reported."""
    if _FastFrontMatterLoader is not None and _SIMPLE_YAML.match(source):
        try:
            return yaml.load(source, Loader=_FastFrontMatterLoader)
        except Exception:  # noqa: BLE001 -- read again below
            pass
    return yaml.load(source, Loader=_FrontMatterLoader)


def read_front_matter(text: str, path: str) -> tuple[dict, int]:
    """Parse a leading ``---`` YAML block; return its fields and where the body starts."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, 0
    try:
        data = _load_yaml(match.group(1) or "") or {}
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or "invalid YAML"
        data = _plain_lines(match.group(1)) if problem == _COLON_IN_VALUE else None
        if data is None:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 2 if mark is not None else None
            raise DocumentError(f"front matter: {problem}", path=path, line=line) from None
    except RecursionError:
        raise DocumentError("front matter: nested too deeply", path=path, line=2) from None
    except (ValueError, KeyError, AttributeError, IndexError, TypeError) as exc:
        # PyYAML's constructors raise what their parsing hits: "!!bool x" a KeyError,
        # "!!float ''" an IndexError, a 5,000-digit number a ValueError
        raise DocumentError(f"front matter: a value YAML cannot read ({type(exc).__name__}: "
                            f"{exc})", path=path, line=2) from None
    if not isinstance(data, dict):
        raise DocumentError("front matter must be a mapping of keys to values", path=path, line=2)
    meta = {}
    for key in FRONT_MATTER_KEYS:
        value = data.get(key)
        if key == "published" and value is None and data.get("date") is not None:
            key, value = "date", data["date"]  # Hugo's and Jekyll's name for it
        if value is None:
            continue
        if key in ("published", "date"):
            meta["published"] = _as_date(value, path, match.group(1), key)
            continue
        meta[key] = value = str(value)  # "title: 2025-08-14" is a title, not a date
        if lone_surrogate(value):
            raise DocumentError(f"front matter: {key} holds an escape that is not a character",
                                path=path, line=_key_line(match.group(1), key))
    return meta, match.end()


# What YAML says of "title: Dengue outbreak: 12,417 cases", a colon in an unquoted value.
_COLON_IN_VALUE = "mapping values are not allowed here"
_PLAIN_LINE = re.compile(r"(?P<key>[A-Za-z_][\w-]*):[ \t]+(?P<value>\S.*?)[ \t]*")


def _plain_lines(front_matter: str) -> dict | None:
    """Front matter that is only ``key: value`` lines, read as a person reads it, each
    value the text after the first ": ": editors write titles with colons, which YAML
    refuses unquoted. None when any line is something else, which stays an error."""
    data = {}
    for line in front_matter.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _PLAIN_LINE.fullmatch(line)
        if m is None:
            return None
        data[m["key"]] = m["value"]
    return data


def _key_line(front_matter: str, key: str) -> int | None:
    """The file line of a top-level front matter key, from the YAML parser's node marks
    (or, in front matter YAML refuses but ``_plain_lines`` reads, the first line starting
    with the key)."""
    try:
        node = yaml.compose(front_matter)
    except yaml.YAMLError:
        lines = front_matter.splitlines()
        return next((n + 2 for n, line in enumerate(lines) if line.startswith(f"{key}:")), None)
    for key_node, _ in getattr(node, "value", []):
        if getattr(key_node, "value", None) == key:
            return key_node.start_mark.line + 2  # +1 for 1-based, +1 for the opening ---
    return None


def _as_date(value: object, path: str, front_matter: str, key: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise DocumentError(f"front matter: {key} {value!r} is not a date",
                            path=path, line=_key_line(front_matter, key),
                            hint="write it as YYYY-MM-DD") from None


def _from_html(text: str) -> tuple[str, dict]:
    """Main text and metadata through trafilatura (boilerplate, nav and footers dropped)."""
    import trafilatura  # imported lazily: plain-text runs should not pay for lxml

    result = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False,
                                         include_tables=True)
    if result is None:
        return "", {}
    data = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    meta = {"title": data.get("title"), "outlet": data.get("sitename"), "url": data.get("url")}
    if data.get("date"):
        try:
            meta["published"] = dt.date.fromisoformat(data["date"][:10])
        except ValueError:
            pass
    return data.get("text") or "", {k: v for k, v in meta.items() if v}


def load_document(path: Path, doc_id: str) -> Document:
    """Read one file into a Document, raising DocumentError when it is not an article."""
    name = str(path)
    return document_from_text(decode(read_bytes(name), name), doc_id, name,
                              SUFFIXES.get(path.suffix.lower(), "text"))


def document_from_text(text: str, doc_id: str, path: str, kind: str = "text",
                       meta: dict | None = None) -> Document:
    """A Document from decoded text: what files become, and what rule examples are.

    ``meta`` (title, outlet, url, published) takes precedence over what the text says,
    as front matter does.
    """
    found: dict = {}
    body_start = 0
    text_source = "file"
    if kind == "html":
        text, found = _from_html(text)
        text_source = "extracted"
        if not text.strip():
            raise DocumentError("no article text found in the HTML", path=path)
    else:
        found, body_start = read_front_matter(text, path)
    found.update({k: v for k, v in (meta or {}).items() if v is not None})
    doc = Document(id=doc_id, path=path, text=text, body_start=body_start,
                   title=found.get("title"), outlet=found.get("outlet"), url=found.get("url"),
                   text_source=text_source)
    if found.get("published"):
        doc.published, doc.published_from = found["published"], "metadata"
    doc.spans, detected = content_spans(text, body_start)
    if doc.title is None:
        doc.title = detected.get("title")
    if doc.outlet is None and detected.get("outlet"):
        doc.outlet = detected["outlet"]
    if doc.published is None:
        published = detect_published(text, body_start)
        if published is not None:
            doc.published, doc.published_from = published
    return doc


def as_draft(doc: Document, today: dt.date | None = None) -> Document:
    """Mark a document as the draft under check. An unpublished draft speaks for the day
    it is checked, so its undated figures are "as of" today (``published_from: today``)."""
    doc.role = "draft"
    if doc.published is None:
        doc.published, doc.published_from = today or dt.date.today(), "today"
    return doc


def _article_files(root: str) -> Iterator[tuple[tuple[str, ...], str]]:
    """(path parts relative to ``root``, path) of every article file under it, from
    ``os.scandir`` (its cached file types save a ``stat`` per file). Hidden files and
    folders are skipped; symbolic links to folders are not followed, so a link loop cannot
    trap the walk. An entry whose type cannot be read (a link loop, a folder that cannot be
    listed) is yielded all the same, so that reading it reports it and the run goes on."""
    stack: list[tuple[str, tuple[str, ...]]] = [(root, ())]
    while stack:
        folder, parts = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            if not parts:
                raise
            yield parts, folder
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append((entry.path, parts + (entry.name,)))
                    continue
                listed = entry.is_file()
            except OSError:
                listed = True
            if listed and os.path.splitext(entry.name)[1].lower() in SUFFIXES:
                yield parts + (entry.name,), entry.path


def iter_paths(paths: Iterable[str]) -> Iterator[tuple[str, str]]:
    """Every article file under the given paths, with its document id (DESIGN.md: the path
    relative to the folder given, without extension; a file given directly: its stem).
    Paths are strings: a corpus of ten thousand files is listed on every draft check."""
    for given in paths:
        root = Path(given)
        if root.is_dir():
            for parts, file in sorted(_article_files(given)):
                yield file, os.path.splitext("/".join(parts))[0]
        elif os.path.lexists(given):
            yield given, root.stem
        else:
            raise CheckerError("no such file or folder", path=given)


def document_paths(paths: Iterable[str]) -> Iterator[tuple[str, str]]:
    """``iter_paths`` with ids made unique: a second file with a taken id is known by its
    whole path without extension."""
    seen: set[str] = set()
    for path, doc_id in iter_paths(paths):
        if doc_id in seen:
            doc_id = Path(path).with_suffix("").as_posix()
        seen.add(doc_id)
        yield path, doc_id


def load_documents(paths: Iterable[str]) -> tuple[list[Document], list[DocumentError]]:
    """Load every document; unreadable ones are returned as errors, never fatal."""
    docs: list[Document] = []
    errors: list[DocumentError] = []
    for path, doc_id in document_paths(paths):
        try:
            docs.append(load_document(Path(path), doc_id))
        except DocumentError as exc:
            errors.append(exc)
    return docs, errors
