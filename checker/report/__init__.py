"""Reports: build plain data first, render it second (coverage.py's way).

``model`` gathers documents, claims and findings into the DESIGN.md JSON object;
``json``, ``csv`` and ``text`` render it; ``files`` writes atomically.
"""
