"""What both packages stand on: where a project keeps its files (`project`), the raw seed files
(`seeds`), changing several files as one under the project's lock (`journal`), the one rule by
which two labels are the same (`labels`), the codes the reference seeds give them (`reference`)
and the errors a user can act on (`errors`). It imports neither `ingest` nor `kerncijfers`
(tests/project/test_layout.py).
"""
