"""The cleaning stage: the only place that imports trafilatura."""

from pipeline.cleaning.extract import Article, clean_page

__all__ = ["Article", "clean_page"]
