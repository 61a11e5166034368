"""Running medcite on a Ray cluster (the optional `medcite[scale]` extra, imported lazily).

- `cluster`: connecting to (or starting) a Ray cluster, with every listener of a local one on
  127.0.0.1;
- `serve`: one Ray Serve deployment per index shard, each a `ShardReader` of the shared snapshot
  folder; the router is the single-node `SnapshotIndex`, given the deployments as its shards;
- `ingest`: embedding in a pool of Ray actors and the shards' snapshots built as parallel Ray tasks.

Nothing here is imported unless `ray.address` (or `--ray`) is set: single-machine use never
loads Ray.
"""
