"""Planner notebooks (*.ipynb), executed by the test suite through nbmake.

This file only makes `notebooks/conftest.py` importable as `notebooks.conftest`, so it does not
clash with `tests/conftest.py` (the tests import their fixtures' data from `conftest`).
"""
