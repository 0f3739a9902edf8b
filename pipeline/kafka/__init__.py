"""Every Kafka client in one wing.

The client factory, topics, the Faust app, offsets, lag and the embedded broker."""
