"""All Cypher lives here: named queries (``*_queries.py`` modules) and the analytics that run them."""
