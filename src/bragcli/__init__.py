"""bragcli: BRAG status reports from an improvement plan kept as YAML in git."""

__version__ = "0.1.0"
