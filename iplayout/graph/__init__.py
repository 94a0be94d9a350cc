"""Graph layer: one GraphStore port, one adapter per engine, chosen in factory.py only."""
