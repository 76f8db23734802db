"""When two figures can both be true: qualifier intervals widened by a tolerance.

A figure is an interval (DESIGN.md): "over 100" is [100, ∞), "nearly 200" is (-∞, 200],
"about 12 thousand" is ±10%. Two figures are compatible when their intervals overlap once
each is widened by the rule's tolerance: absolute, relative, or by rounding, where a
figure written round ("18,000", "12 thousand") stands for anything that rounds to it.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .claims.model import Claim

_SCALE_WORD = re.compile(r"thousand|million|billion|trillion|\bk\b|\bm\b|\bbn\b", re.I)
ROUNDING_CAP = 0.05  # a round figure covers at most ±5% of itself


@dataclass(frozen=True)
class Tolerance:
    """How much difference a rule forgives."""

    absolute: float = 0.0
    relative: float = 0.0
    rounding: bool = True
    respect_qualifiers: bool = True

    @classmethod
    def from_params(cls, params: dict) -> "Tolerance":
        given = params.get("tolerance") or {}
        return cls(absolute=float(given.get("absolute", 0.0)),
                   relative=float(given.get("relative", 0.0)),
                   rounding=bool(given.get("rounding", True)),
                   respect_qualifiers=bool(params.get("respect_qualifiers", True)))


def rounding_slack(claim: Claim) -> float:
    """Half the unit a round figure is rounded to: "18,000" ±500, "12 thousand" ±500,
    "1 million" ±50,000, capped at 5% of the figure; 0 for figures that are not round."""
    value = abs(claim.value or 0)
    if not value or value != int(value):
        return 0.0
    if _SCALE_WORD.search(claim.text):
        digits = re.sub(r"\D", "", claim.text.split()[0]) if claim.text.split() else ""
        step = value / int(digits) if digits and int(digits) else value
    else:
        text = str(int(value))
        zeros = len(text) - len(text.rstrip("0"))
        if zeros < 3:
            return 0.0
        step = 10 ** zeros
    return min(step / 2, ROUNDING_CAP * value)


def interval(claim: Claim, tolerance: Tolerance) -> tuple[float, float]:
    """The values the claim allows, widened by the tolerance."""
    if tolerance.respect_qualifiers:
        low = -math.inf if claim.low is None else claim.low
        high = math.inf if claim.high is None else claim.high
    else:
        low = high = claim.value
    slack = max(tolerance.absolute, tolerance.relative * abs(claim.value or 0),
                rounding_slack(claim) if tolerance.rounding else 0.0)
    return low - slack, high + slack


def compatible(a: Claim, b: Claim, tolerance: Tolerance) -> bool:
    """Whether both figures can be true at once."""
    a_low, a_high = interval(a, tolerance)
    b_low, b_high = interval(b, tolerance)
    return a_low <= b_high and b_low <= a_high


def same_figure(a: Claim, b: Claim, tolerance: Tolerance) -> bool:
    """Whether two sources state the same number (qualifiers aside): 6 162 and 6,162,
    "about 12 thousand" and 12,000."""
    slack = max(tolerance.absolute, tolerance.relative * abs(a.value or 0),
                rounding_slack(a) if tolerance.rounding else 0.0,
                rounding_slack(b) if tolerance.rounding else 0.0)
    return abs((a.value or 0) - (b.value or 0)) <= slack
