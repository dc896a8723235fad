"""Entry point of the frozen bundle: the same ``counsellor-app`` command line as from source."""

import sys

from counsellor_app.cli import main

if __name__ == "__main__":
    sys.exit(main())
