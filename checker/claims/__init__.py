"""Claims: every figure in a document, normalized, with its evidence span.

``numbers`` finds figures, ``qualifiers`` makes intervals, ``counted`` reads the counted
thing, ``periods`` the time referred to, ``entities`` places and people, ``attribution``
the source; ``extract`` ties them into ``Claim``s (``model``).
"""
