"""One report from text to summary: structure, drafts (model or rules), checks, overview;
the model's heading labels; and the same over recorded exchanges (``replay``).

May import: the foundation, lexicon, reading, layout, structure, figures, grounding and model.
"""
