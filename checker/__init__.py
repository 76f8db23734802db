"""checker: find where news sources disagree on figures, dates, names and attributions."""

__version__ = "0.1.0"
