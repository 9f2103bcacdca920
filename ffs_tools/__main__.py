import sys

from ffs_tools.cli import main

sys.exit(main())
