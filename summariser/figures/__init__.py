"""The number engine: every quantity in a text (value, unit, qualifier, span), and what
is not one (names, slogans, identifiers: ``number_words.yaml``).

May import: the foundation and lexicon (no stage that reads files or structure).
"""
