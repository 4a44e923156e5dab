"""Many reports: files found, resume, parallel jobs, progress on stderr, the final table; and
the same run as batch files, round by round, for a provider's Batch API or `vllm run-batch`.

May import: every stage up to and including output.
"""
