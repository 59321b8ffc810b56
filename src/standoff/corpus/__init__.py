"""Corpus stage: build, validate, describe and import corpora."""
