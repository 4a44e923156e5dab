"""The one door to the model: prompts rendered from ``prompts/*.yaml``, the OpenAI-compatible
client with retries and re-asks (``door``, the only importer of openai and instructor), and the
embedded local model built for this CPU (``local``, ``cpu``).

May import: the foundation and lexicon; nothing of the stages that read reports.
"""
