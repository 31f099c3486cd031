"""Run the notebooks against this checkout.

nbmake starts each notebook's kernel in the notebook's folder, so the kernel imports the project
packages from the installed copy. Putting the checkout first on PYTHONPATH makes the kernels
(child processes, which inherit the environment) import the very code under test, even when the
editable install points at another working copy.
"""
from __future__ import annotations

import os
from pathlib import Path

ROOT = str(Path(__file__).resolve().parent.parent)
os.environ["PYTHONPATH"] = os.pathsep.join([ROOT, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))])
