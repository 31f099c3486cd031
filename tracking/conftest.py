"""Doctests of the modules that use the models need Django set up: point it at a throw-away workspace."""
import tempfile

from tracking.db import open_tracking

collect_ignore_glob = ["migrations/*"]
open_tracking(tempfile.mkdtemp(prefix="chainkg_doctest_"))
