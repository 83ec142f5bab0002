"""`python -m kerncijfers`: the same as the `kerncijfers` command."""

import sys

from kerncijfers.cli import main

sys.exit(main())
