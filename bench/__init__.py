"""The benchmark suite: ``python bench/run.py`` (see run.py)."""
