"""``python -m revalidatie``: the command line, for when the ``revalidatie`` script is not on the PATH."""

import sys

from .cli import main

sys.exit(main())
