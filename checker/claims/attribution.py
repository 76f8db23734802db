"""Who a figure is credited to: "according to X", "X said", "X told CNN", "Source: X".

Attribution is read per sentence. A pronoun speaker ("he said") is the last person
credited before it; a sentence that only credits earlier material ("X reported this",
"Such data was provided by X") passes its source back to the sentence before; a
"Source: X" line credits every figure in the document that has no source of its own.
"""
from __future__ import annotations

import re

from .entities import is_place
from .prefilter import Hint, trie_alternation

_CONNECTOR = r"(?:(?:of|for|and|on|de|del|al|la|le|von|van|der|du|in)(?:[ \u00a0]+the)?|the)"
_CAP = r"[A-Z][\w.’'&-]*"
_NP = rf"{_CAP}(?:[ \u00a0]+(?:{_CAP}|{_CONNECTOR}(?=[ \u00a0]+[A-Z])))*"
_VERBS = (r"said|says|told|tells|stated|states|reported|reports|noted|notes|note|added|adds|"
          r"confirmed|confirms|announced|announces|estimated|estimates|estimate|assessed|assesses|"
          r"explained|explains|claimed|claims|wrote|writes|warned|warns|stressed|recalled|"
          r"revealed|reveals|promised|emphasized|emphasised|believes|believe|found|finds|"
          r"calculated|counted|recorded|published|released|indicated|indicates|showed|shows")
_SOURCE_NOUNS = (r"officials|agencies|analysts|experts|groups|investigators|sources|researchers|"
                 r"authorities|intelligence|media|journalists|observers|monitors|services|"
                 r"prosecutors|diplomats|police|ministry|government|military|army")
_ACCORDING = re.compile(
    r"\b(?=[acdefprs])"  # the first letters of the words below, checked first
    r"(?:according[ \u00a0]+to|as[ \u00a0]+reported[ \u00a0]+by|reported[ \u00a0]+by|provided[ \u00a0]+by|"
    r"citing|cited[ \u00a0]+by|data[ \u00a0]+(?:from|by)|figures[ \u00a0]+from|estimates[ \u00a0]+(?:from|by)|"
    r"statistics[ \u00a0]+from)[ \u00a0]+"
    r"(?:(?:(?:a|an|the)[ \u00a0]+)?(?:[A-Z]\w+[ \u00a0]+)?(?:statistics|data|figures|information|"
    r"estimates?|report|post|statement|study|survey|tweet|analysis|assessment)[ \u00a0]+"
    r"(?:from|of|by)[ \u00a0]+)?"
    r"(?P<src>[^,;:.!?()—–\n]+?)(?=[,;:.!?()—–\n]|[ \u00a0](?:in|on|that|who|which|when|after|"
    r"because|to|with|via|at)[ \u00a0]|$)",
    re.I)
# A verb or a source noun can only be followed by a blank or a comma here, so at most one
# of them fits at a place and their order does not matter: written as tries, they are
# quicker to try. Every speaker starts with a capital or a pronoun's h, s or t.
_SPEAKER = re.compile(
    rf"(?=[A-Zhst])"
    rf"(?P<src>{_NP}|\b(?:[Hh]e|[Ss]he|[Tt]hey)\b|(?<![\w])[A-Z][a-z]+(?:[ \u00a0][a-z]+){{0,3}}?"
    rf"[ \u00a0](?:{trie_alternation(_SOURCE_NOUNS.split('|'))}))"
    rf"(?:,[^,]{{1,90}},)?[ \u00a0]+(?:(?:\w+ly|also|further|later|then|previously)[ \u00a0]+)?"
    rf"(?:{trie_alternation(_VERBS.split('|'))})\b")
# _ACCORDING cannot match a sentence without one of these words, nor _SPEAKER without one
# of its verbs.
_ACCORDING_WORDS = ["according", "reported", "provided", "citing", "cited", "data", "figures",
                    "estimates", "statistics"]
_MAY_ACCORD = Hint(_ACCORDING_WORDS)
_MAY_SPEAK = Hint(_VERBS.split("|"))
may_credit = Hint(_VERBS.split("|") + _ACCORDING_WORDS)
_WORD_REST = re.compile(r"\w*")
_SOURCE_LINE = re.compile(r"^\W*(?:source|sources|data)[ \u00a0]*:[ \u00a0]*(?P<src>[^\n]{2,120})$",
                          re.I | re.M)
_MAY_NAME_SOURCE = Hint(["source", "data"])  # _SOURCE_LINE's words
_BACK_REFERENCE = re.compile(r"\b(?:this|these|such[ \u00a0]+data|the[ \u00a0]+data|the[ \u00a0]+figures?)\b",
                             re.I)
_MAY_REFER_BACK = Hint(["this", "these", "data", "figure"])  # each phrase ends with one
_PRONOUNS = {"he", "she", "they"}
_LEADING = re.compile(r"^(?:the|a|an)[ \u00a0]+", re.I)
_TRAILING = re.compile(r"[ \u00a0]+(?:on[ \u00a0]+(?:Telegram|Twitter|X|Facebook)|in[ \u00a0]+a[ \u00a0]+\w+)$")
_NOT_SOURCES = {"it", "this", "that", "there", "which", "what", "who", "when", "however", "we",
                "i", "you", "us", "one", "someone", "nobody", "everyone",
                "the", "statistics", "data", "him", "her", "them"}


def _clean(source: str) -> str | None:
    source = " ".join(source.replace("\u00a0", " ").split())
    source = _TRAILING.sub("", _LEADING.sub("", source)).strip(" '\"“”‘’")
    if not source or source.lower() in _NOT_SOURCES or len(source) > 100:
        return None
    if source.split()[0].lower() in ("this", "these", "that", "those", "such"):
        return None
    if is_place(source):
        return None  # "1,013 from African states": a demonym, not a speaker
    return source


def in_sentence(sentence: str) -> str | None:
    """The source a sentence credits, as written (pronouns returned as they are).
    ``credited`` says the same for a sentence of a document, quicker."""
    if m := _ACCORDING.search(sentence):
        src = _clean(m.group("src"))
        if src:
            return src
    return _speaker(sentence)


def _speaker(sentence: str) -> str | None:
    """The first speaker ("X said") of the sentence that is a source."""
    for m in _SPEAKER.finditer(sentence):
        src = _clean(m.group("src"))
        if src:
            return src
    return None


def credited(text: str, start: int, end: int) -> str | None:
    r"""``in_sentence(text[start:end])``, with each pattern tried only where its words are.

    A _SPEAKER match ends with a verb, so the sentence is read only up to the end of the
    word at its last verb: every match lies before that, and the word ends there, so
    ``\b`` after the verb reads the same."""
    if not may_credit(text, start, end):
        return None
    sentence = text[start:end]
    if _MAY_ACCORD(text, start, end) and (m := _ACCORDING.search(sentence)):
        src = _clean(m.group("src"))
        if src:
            return src
    verbs = _MAY_SPEAK.starts(text, start, end)
    if verbs is None:
        return _speaker(sentence)
    if not verbs:
        return None
    return _speaker(sentence[:_WORD_REST.match(text, verbs[-1], end).end() - start])


def source_line(text: str, start: int = 0) -> str | None:
    """A "Source: X" line anywhere in ``text[start:]`` (the document's body)."""
    if not _MAY_NAME_SOURCE(text, start):
        return None
    if m := _SOURCE_LINE.search(text[start:]):
        return _clean(re.split(r"[,;(]", m.group("src"))[0])
    return None


def is_pronoun(source: str) -> bool:
    return source.lower() in _PRONOUNS


def credits_previous(text: str, start: int, end: int) -> bool:
    """"X reported this", "Such data was provided by X": the sentence ``text[start:end]``
    credits what came before."""
    return _MAY_REFER_BACK(text, start, end) and bool(_BACK_REFERENCE.search(text[start:end]))
