"""Plans to and from spreadsheets, one row per action (`brag import`, `brag export`).

read.py: cells as text from .csv or .xlsx, within import's bounds; importer.py: rows into
validated areas and the files an import writes; exporter.py: rows out, as CSV or .xlsx;
yamlwrite.py: areas and plans as YAML files.
"""
