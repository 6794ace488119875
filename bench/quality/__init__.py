"""Search-quality benchmark (``python -m bench.quality``): a hand-written evaluation set in
English, Indonesian and Arabic, run through halasync's real sync and search services."""
