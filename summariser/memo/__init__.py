"""A briefing memo across many summaries: its content (checked figures only), grouped by
theme, rendered as Markdown or Word, and the model's synthesis paragraph, replayed or recorded.

May import: every stage up to and including batch.
"""
