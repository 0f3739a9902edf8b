"""One exception tree for newswire. `retriable` says whether trying again may help."""


class NewswireError(Exception):
    """Base of every error newswire raises on purpose."""

    retriable: bool = False


class ConfigError(NewswireError):
    """A setting or a data file is invalid; the message names what and where."""


class BrokerError(NewswireError):
    """The Kafka broker could not be started or reached."""

    retriable = True


class FetchError(NewswireError):
    """A document could not be fetched over HTTP."""

    retriable = True


class FeedError(NewswireError):
    """A feed could not be parsed."""


class ExtractionError(NewswireError):
    """A page could not be turned into a clean article."""
