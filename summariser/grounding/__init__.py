"""Checking against the source: each figure of a draft judged by value, unit, qualifier and
context, derived figures, the source's own inconsistencies, quotes located, key figures chosen.

May import: the foundation, lexicon, reading, layout, structure and figures.
"""
