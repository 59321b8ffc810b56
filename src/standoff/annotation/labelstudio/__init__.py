"""Label Studio round trip: generated config, a local server, push, pull.

The encoding is documented in `config.py`; conversion in `convert.py` is lossless both
ways, and `offsets.py` explains how Label Studio counts offsets.
"""

from standoff.annotation.labelstudio.config import generate_config, write_config
from standoff.annotation.labelstudio.convert import annotation_to_results, results_to_annotation

__all__ = ["annotation_to_results", "generate_config", "results_to_annotation", "write_config"]
