"""The whole archive: a mirror of every draft and RFC scanned into one Parquet dataset.

``sources`` finds the revision texts under a mirror or a cache (and what the cache's metadata
says of them), ``record`` turns one file into one row (the per-file function every executor
runs), ``store`` keeps the dataset incremental and crash-safe, ``scan`` runs the work on a
process pool or a dask.distributed cluster. The columns are :data:`schema.SCAN_COLUMNS`.
"""
