"""``python -m glutegraph.cli``: the same as the ``glutegraph`` command."""

import sys

from glutegraph.cli import main

sys.exit(main())
