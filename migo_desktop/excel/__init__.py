"""Excel/CSV/TXT import and export. No Qt here (DESIGN.md §2)."""
