"""Collecting the doctests imports the views, which need Django set up: a throw-away workspace."""
import tempfile

from tracking.db import open_tracking

collect_ignore_glob = ["templates/*", "static/*"]
open_tracking(tempfile.mkdtemp(prefix="chainkg_doctest_"))
