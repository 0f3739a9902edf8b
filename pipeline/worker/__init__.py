"""The enrich stage: the Faust agent, its process pool, the pure processing step, dedup."""
