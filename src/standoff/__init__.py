"""standoff: annotated-corpus and evaluation toolkit for conflict and diplomacy news."""

__version__ = "0.1.0"
