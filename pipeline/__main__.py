"""`python -m pipeline` is `newswire`."""

import sys

from pipeline.cli import main

sys.exit(main())
