"""Shared foundation of every stage: the data model, the schema, the actor registry, I/O.

Everything in standoff imports from here; this package imports no stage.
"""
