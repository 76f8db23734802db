"""Countries, regions and people named in the text.

Places come from an alias and demonym table (places.tsv over pycountry's canonical list,
regions.tsv for "Central Asia", "African"…) scanned as one case-sensitive pattern,
longest form first. LIBRARIES.md explains why there is no fuzzy matching for places:
no threshold separates Austria/Australia from Kiev/Kyiv.

People are capitalised name sequences whose first token is a known given name
(gender-guesser's international first-name dictionary, shipped in its wheel), a title
followed by a surname ("General Usov"), or a later bare mention of a surname already
seen in the same document.
"""
from __future__ import annotations

import bisect
import csv
import re

import regex
from anyascii import anyascii
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .prefilter import trie_alternation

# Longer phrases that contain a place name but are not about that country.
NOT_PLACES = ("New Mexico", "New Guinea", "Gulf of Guinea", "Niger Delta", "Niger River",
              "British Columbia", "Indian Ocean", "Baltic Sea", "Congo River", "Congo Basin",
              "Panama City", "New Jersey", "Georgia Tech")
TITLES = frozenset("""General Brigadier President Prime Minister Secretary Colonel Major Captain
Sergeant Lieutenant Commander Admiral Marshal Prince King Queen Pope Saint Judge Justice Governor
Mayor Senator Chairman Director Chief Head Ambassador Deputy Spokesman Spokeswoman Spokesperson
Dr Mr Mrs Ms Sir Lord Lady Private Corporal Officer Commissioner Envoy Patriarch Sheikh Emir
Sultan Chancellor Speaker Ombudsman Representative Gen Lt Col Maj Capt Sgt Pres""".split())
NOT_NAME_TOKENS = frozenset("""The A An In On At Of For From By With And But Or As To Into After
Before Since During While When Where Who What Which This That These Those Some Many Most Other
Another Every Each All Both No Not Also Then However Later Earlier Meanwhile Instead Still Yet
Here There It Its He She They We I You His Her Their Our My Your Source Details Quote Background
Photo Category Latest News Monday Tuesday Wednesday Thursday Friday Saturday Sunday January
February March April May June July August September October November December""".split())
ORG_WORDS = frozenset("""Headquarters Ministry Army Forces Force Court Service Services Intelligence
Committee Department Agency University Street Region Oblast Brigade Division Regiment Battalion
Group Company Council Office Party Union Bank Fund News Post Times Journal Media Pravda Project
Agreement Treaty Conference Directorate Guard Corps District City Republic Federation Kingdom
Institute Center Centre Foundation Network Channel Radio Television TV Airlines Stories Maps
Global Legion Strategic Partnership River Lake Mount Sea Bay Island Islands Valley Bridge Road
Square Park Avenue Canal Hall Station Airport Port Harbour Harbor Hospital School Church
Cathedral Palace Castle Stadium Market""".split())
_STOP = ORG_WORDS | NOT_NAME_TOKENS | TITLES  # tokens that end a name or cannot start one
# Any script's capitals ("Jarosław", "Krüger"), hence the regex module's \p classes.
_NAME_TOKEN = r"\p{Lu}[\p{Ll}’'\-]+(?:-\p{L}+)?"
_NAME_SEQ = regex.compile(rf"(?<![\w’'])({_NAME_TOKEN}(?:[ \u00a0]{_NAME_TOKEN}){{0,5}})(?![\w’'])")


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    type: str  # country, region, person
    name: str
    code: str | None = None

    def to_json(self) -> dict:
        data = {"type": self.type, "name": self.name}
        if self.code:
            data["code"] = self.code
        return data


@lru_cache(maxsize=1)
def _place_table() -> tuple[re.Pattern, dict[str, tuple[str, str, str]]]:
    """One compiled alternation over every place form; form -> (type, code, name)."""
    import pycountry

    forms: dict[str, tuple[str, str]] = {}
    canonical: dict[str, str] = {}
    base = resources.files("checker.claims")
    for filename, kind in (("places.tsv", "country"), ("regions.tsv", "region")):
        with base.joinpath(filename).open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh, delimiter="\t"))
        for row in rows:
            code = row["code"]
            if code not in canonical and row["kind"] == "name":
                country = pycountry.countries.get(alpha_3=code) if kind == "country" else None
                canonical[code] = getattr(country, "common_name", None) or row["form"]
            forms[row["form"]] = (kind, code)
    table = {form: (kind, code, canonical.get(code, form)) for form, (kind, code) in forms.items()}
    table.update({phrase: ("", "", "") for phrase in NOT_PLACES})
    initials = "".join(sorted({re.escape(f[0]) for f in table}))
    # The lookahead on first letters lets the scan skip most positions at once.
    return re.compile(rf"(?=[{initials}])(?<![\w’'-])({trie_alternation(table)})"
                      r"(?:’s|'s)?(?![\w-])"), table


@lru_cache(maxsize=1)
def _first_names() -> frozenset[str]:
    """Given names from gender-guesser's dictionary (shipped data, no download)."""
    return frozenset(name for name in dictionary_names()
                     if name[:1].isupper() and name not in TITLES)


def dictionary_names() -> set[str]:
    """The names gender-guesser's ``Detector(case_sensitive=True).names`` holds, read
    from its data file as it reads them: the second field of each line not starting with
    "#" or "=", a "+" in it standing for nothing, a blank or a hyphen. Read here because
    the Detector also parses every name's frequency in 55 countries, which took 0.45 s of
    every process's start (a draft check's budget is 1 s), for a set of names."""
    data = resources.files("gender_guesser") / "data" / "nam_dict.txt"
    names = set()
    for line in data.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line[0] in "#=":
            continue
        name = line.split(None, 2)[1]
        if "+" in name:
            names.update(name.replace("+", joint) for joint in ("", " ", "-"))
        else:
            names.add(name)
    return names


def places(text: str, lo: int = 0, hi: int | None = None) -> list[Mention]:
    pattern, forms = _place_table()
    found = []
    for m in pattern.finditer(text, lo, len(text) if hi is None else hi):
        kind, code, name = forms[m.group(1)]
        if kind:
            found.append(Mention(m.start(), m.end(1), kind, name, code))
    return found


def is_place(text: str) -> bool:
    """Whether ``text`` is one place name and nothing else, as ``places`` reads it: its
    first mention would start the text, so that is the one match to try."""
    pattern, forms = _place_table()
    m = pattern.match(text)
    return bool(m and m.end(1) == len(text) and forms[m.group(1)][0])


def people(text: str, spans: list[tuple[int, int]], taken: list[Mention]) -> list[Mention]:
    """Person mentions in the content spans; ``taken`` are place mentions to avoid."""
    first_names = _first_names()
    place_starts = {m.start for m in taken}
    found: list[Mention] = []
    surnames: dict[str, str] = {}
    for lo, hi in spans:
        for m in _NAME_SEQ.finditer(text, lo, hi):
            sequence = m.group(1)
            if " " not in sequence and "\u00a0" not in sequence:
                continue  # one capitalised word names nobody: see _person
            for tokens, start in _owners(sequence.replace("\u00a0", " ").split(" "), m.start(1)):
                mention = _person(tokens, start, first_names, place_starts) \
                    if len(tokens) > 1 else None
                if mention:
                    found.append(mention)
                    surnames.setdefault(mention.name.split()[-1], mention.name)
    # Bare surnames ("Usov noted…") of people already named in full in this document.
    if surnames:
        found += _bare_surnames(text, spans, surnames, found)
        found = [p if surnames.get(p.name, p.name) == p.name
                 else Mention(p.start, p.end, p.type, surnames[p.name]) for p in found]
    return sorted(found, key=lambda p: p.start)


# A name token's possessive ending ("Zelensky's", "Usov’s", "Jones'") or a closing quote.
_POSSESSIVE = re.compile(r"[’'](?:s)?$")


def _owners(tokens: list[str], start: int) -> list[tuple[list[str], int]]:
    """A capitalised sequence cut after each word with a possessive ending, which is taken
    off: "Volodymyr Zelensky's" names Volodymyr Zelensky (not a second spelling of him),
    and in "Putin's International Legion" the name ends at "Putin". Each part comes with
    where it starts."""
    parts, current, at = [], [], start
    for token in tokens:
        if not current:
            part_start = at
        at += len(token) + 1
        owner = _POSSESSIVE.search(token)
        if owner and owner.start() > 0:
            current.append(token[:owner.start()])
            parts.append((current, part_start))
            current = []
        else:
            current.append(token)
    if current:
        parts.append((current, part_start))
    return parts


_NO_NAME_BEFORE = re.compile(r"(?<![\w’'-])")
_NO_NAME_AFTER = re.compile(r"(?![\w-])")


def _bare_surnames(text: str, spans: list[tuple[int, int]], surnames: dict[str, str],
                   named: list[Mention]) -> list[Mention]:
    r"""The surnames standing as words of their own in the spans, outside the mentions
    ``named`` (sorted, apart): what the pattern ``(?<![\w’'-])(S1|S2|…)(?![\w-])`` finds,
    looked up with ``str.find`` instead of compiling that pattern for every document.
    Where two surnames fit at one place the first listed wins, as in the alternation;
    two places never overlap, since a surname is all word characters, ’, ' and -."""
    span_starts = [lo for lo, _ in spans]
    named_starts = [p.start for p in named]
    at: dict[int, str] = {}
    for surname in surnames:
        i = text.find(surname)
        while i >= 0:
            end = i + len(surname)
            k = bisect.bisect_right(span_starts, i) - 1
            if (i not in at and k >= 0 and end <= spans[k][1]
                    and _NO_NAME_BEFORE.match(text, i) and _NO_NAME_AFTER.match(text, end, spans[k][1])
                    and not _within(named, named_starts, i)):
                at[i] = surname
            i = text.find(surname, i + 1)
    return [Mention(i, i + len(s), "person", surnames[s]) for i, s in sorted(at.items())]


def _within(mentions: list[Mention], starts: list[int], offset: int) -> bool:
    """Whether ``offset`` falls inside one of ``mentions`` (sorted by ``starts``, apart)."""
    i = bisect.bisect_right(starts, offset) - 1
    return i >= 0 and offset < mentions[i].end


@lru_cache(maxsize=65536)
def _ascii(token: str) -> str:
    """``anyascii(token)``, remembered: the same names come back in every article."""
    return anyascii(token)


def _person(tokens: list[str], offset: int, first_names: frozenset[str],
            place_starts: set[int]) -> Mention | None:
    """The person a capitalised sequence names, if any: a given name and up to two
    more name tokens ("Brigadier General Dmitry Usov" -> "Dmitry Usov"), or a title and a
    surname ("General Usov" -> "Usov")."""
    starts = []
    for token in tokens:
        starts.append(offset)
        offset += len(token) + 1
    stop = _STOP
    for j, token in enumerate(tokens):
        given = token in first_names or _ascii(token) in first_names
        if given and starts[j] not in place_starts and token not in stop:
            rest = tokens[j + 1:j + 3]
            cut = next((k for k, t in enumerate(rest) if t in stop), len(rest))
            if cut:
                name = " ".join(tokens[j:j + 1 + cut])
                return Mention(starts[j], starts[j] + len(name), "person", name)
        if token in TITLES and j + 1 < len(tokens):
            nxt = tokens[j + 1]
            last = j + 2 == len(tokens) or tokens[j + 2] in stop
            if last and nxt not in stop and nxt not in first_names and starts[j + 1] not in place_starts:
                return Mention(starts[j + 1], starts[j + 1] + len(nxt), "person", nxt)
    return None
