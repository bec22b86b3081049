"""What is worked out from a plan: totals, changes between versions, trends. Pure."""
