"""Where plans come from: the YAML reader, the working tree and git, and the one loader."""
