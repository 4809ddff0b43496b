"""eventdesk: news articles to structured, verifiable political event data."""

__version__ = "0.1.0"
