"""Performance harness for halasync: ``python -m bench [--rows N] [--json]``.

Not part of the test run (tests/test_bench.py only runs it on a tiny table so it cannot
rot). See bench/README.md for what it measures and the numbers on the reference machine.
"""
