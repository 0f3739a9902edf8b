"""newswire connectors: get news documents in from feeds and the web."""
