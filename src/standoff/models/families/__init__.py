"""The built-in families; importing this module registers them."""

from standoff.models.families import rules, sklearn_family, spacy_family  # noqa: F401
