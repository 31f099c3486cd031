"""Files planners take away: the target-company list as XLSX, CSV or JSON."""
