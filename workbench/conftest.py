"""Collecting the doctests imports the views, which need Django set up: a throw-away workspace."""
import tempfile

from workbench.server import configure

collect_ignore_glob = ["templates/*", "static/*"]
configure(tempfile.mkdtemp(prefix="chainkg_doctest_"))  # the workbench's settings: one process, one Django setup
