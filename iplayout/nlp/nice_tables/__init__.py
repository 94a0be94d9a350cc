"""Shipped Nice tables (CNIPA 类似商品和服务区分表, 2017 snapshot) and the Nice -> GB/T 4754-2017 concordance."""
