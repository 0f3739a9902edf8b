"""The kernel both stages stand on: errors, clock, ids, codec, URLs, events, settings, metrics.

Nothing here imports another part of newswire."""
