"""A report's structure without a model: metadata, statutory parts and segments, truncation,
and whether the text is a report at all.

May import: the foundation, lexicon, reading and layout.
"""
