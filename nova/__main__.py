"""`python -m nova` is the same as the `nova` command."""

import sys

from nova.cli import main

sys.exit(main())
