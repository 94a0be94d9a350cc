"""Industry-chain templates (YAML data; see docs/extraction.md, "Chain templates")."""
