"""Evaluation: predictions scored against gold with intervals, reports, and comparisons.

`runner.run_evaluation` scores one model version or predictions file; `compare.compare_versions`
pairs versions document by document; `index.write_index` lists every report.
"""
