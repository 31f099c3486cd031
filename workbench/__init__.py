"""The bureau's workbench: a Django 5.2 site over the tracking store and the pipeline.

`workbench.server.make_server(home)` configures Django for a workspace (`workbench.settings`) and
binds waitress to 127.0.0.1 (or the intranet with `host`); every page is a thin call of library
functions (`queries.analysis`, `tracking`, `reports`), filtered by the user's role
(`workbench.access`).
"""
