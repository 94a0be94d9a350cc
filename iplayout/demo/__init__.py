"""A deterministic, clearly SYNTHETIC sample corpus for `iplayout demo` and the benchmarks."""

from iplayout.demo.generator import SIZES, GraphRows, generate, load_into

__all__ = ["SIZES", "GraphRows", "generate", "load_into"]
