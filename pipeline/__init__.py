"""newswire pipeline: clean, tag and publish news articles on Kafka."""

__version__ = "0.1.0"
