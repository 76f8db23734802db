"""The registry of rule kinds: a plain dict from the name rules use to the module.

Each module holds ``KIND``, ``PARAMS`` (name -> ``Param``), ``SAMPLE`` (template variables
used to test-render messages when a rule loads) and ``evaluate(params, ctx)`` yielding
``Hit``s; its docstring is the editors' documentation (yamllint's layout). A kind with
``RESIDUAL = True`` reports only what no other kind's finding already cites; one with
``UNALIGNED = True`` reads the context's documents, drafts, copies and claims, but never
how claims are grouped into measures (it takes every claim of ``ctx.measures`` alike), a
period or an inferred date: the engine may run it before claims align, with every claim
in one measure, unless its rule selects claims by measure. Every other kind judges each
measure on its own: its hits over measures A and B are its hits over A, then over B, so
the engine may share a rule's measures out in parts among processes; unless ``WHOLE =
True`` says its work is mostly per run, not per measure, and better done once.
"""
from __future__ import annotations

from . import attribution, conflict, name_variant, outdated, period, total, unsupported, update

KINDS = {module.KIND: module for module in (conflict, period, update, total, name_variant,
                                            attribution, outdated, unsupported)}
