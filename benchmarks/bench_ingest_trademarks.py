"""Ingestion of a CNIPA trademark open-data package (issue 20): the goods member streamed and joined,
goods rows/s, CPU and peak RSS at 100k and 1M goods rows with the ingest workers, and at 1M
in-process (SYNTHETIC; code in bench_ingest.py).

    python -m benchmarks.bench_ingest_trademarks --out section.md [--goods-rows 100000,1000000]
"""

from benchmarks.bench_ingest import trademarks_main

if __name__ == "__main__":
    trademarks_main()
