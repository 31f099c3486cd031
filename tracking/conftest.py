"""Doctests of the modules that use the models need Django set up: point it at a throw-away workspace."""
import tempfile

from workbench.server import configure

collect_ignore_glob = ["migrations/*"]
configure(tempfile.mkdtemp(prefix="chainkg_doctest_"))  # the workbench's settings: one process, one Django setup
