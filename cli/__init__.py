"""The `chainkg` command line: a thin mirror of the library, one command per library call."""
