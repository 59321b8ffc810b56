"""Annotation stage: the gold file format, Label Studio, agreement and adjudication."""
