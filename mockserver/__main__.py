"""``python -m mockserver``: the same entry point as the ``mockserver`` script."""

import sys

from mockserver.cli import main

if __name__ == "__main__":
    sys.exit(main())
