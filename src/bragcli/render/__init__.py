"""Renderers: one per output format, registered in dicts that also feed `--format` choices."""
