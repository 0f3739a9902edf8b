"""Quality evaluation: extraction against benchmark datasets, tagging against labelled sets."""
