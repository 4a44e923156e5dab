"""Many reports: files found, resume, parallel jobs, progress on stderr, the final table.

May import: every stage up to and including output.
"""
