"""Running medcite on a Ray cluster (the optional `medcite[scale]` extra, imported lazily).

- `cluster`: connecting to (or starting) a Ray cluster, with every listener of a local one on
  127.0.0.1;
- `index`: `RayIndex`, the single-node `SnapshotIndex` router with one Ray Serve deployment per
  index shard (each a `ShardReader` of the shared snapshot folder), and the shards' snapshots built
  as parallel Ray tasks;
- `ingest`: the embed stage of a Ray ingest on Ray Data (a pool of actors holding the model once each).

Nothing here is imported unless `ray.address` (or `--ray`) is set: single-machine use never
loads Ray.
"""
