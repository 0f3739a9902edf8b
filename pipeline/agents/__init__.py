"""Faust agents: thin wiring from topics to the processing stages."""
