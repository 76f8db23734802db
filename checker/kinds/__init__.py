"""The registry of rule kinds: a plain dict from the name rules use to the module.

Each module holds ``KIND``, ``PARAMS`` (name -> ``Param``), ``SAMPLE`` (template variables
used to test-render messages when a rule loads) and ``evaluate(params, ctx)`` yielding
``Hit``s; its docstring is the editors' documentation (yamllint's layout). A kind with
``RESIDUAL = True`` reports only what no other kind's finding already cites; one with
``DOCUMENTS_ONLY = True`` reads only the context's documents, drafts and copies (never a
measure, a period or an inferred date), so the engine may run it before claims align.
"""
from __future__ import annotations

from . import attribution, conflict, name_variant, outdated, period, total, unsupported, update

KINDS = {module.KIND: module for module in (conflict, period, update, total, name_variant,
                                            attribution, outdated, unsupported)}
