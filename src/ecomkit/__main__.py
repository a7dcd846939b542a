"""``python -m ecomkit``: the command line defined in ``ecomkit.cli``."""

from ecomkit.cli import main


raise SystemExit(main())
