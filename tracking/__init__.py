"""The bureau's own work: assignments, outreach events, the project library, bulletins.

Tracking is state the bureau owns. It lives in the workspace's SQLite database (Django ORM) and is
written only through this package. Importing `tracking` needs no Django: the database is set up by
`tracking.db.open_tracking`, on first use.
"""
