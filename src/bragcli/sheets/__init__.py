"""Plans to and from spreadsheets, one row per action (`brag import`, `brag export`).

read.py: cells as text from .csv or every sheet of an .xlsx, within import's bounds (Excel's
dates, Windows CSV encodings); importer.py: rows into validated areas and the files an import
writes; planbook.py: a whole-plan workbook's other sheets back into the plan and its areas;
merge.py: an edited tracker against the plan, the update `import --update` makes;
exporter.py: rows and sheets out, as CSV or .xlsx; yamlwrite.py: areas and plans as YAML.
"""
