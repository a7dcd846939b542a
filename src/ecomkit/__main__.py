"""``python -m ecomkit``: see [`ecomkit.cli`][ecomkit.cli]."""

from ecomkit.cli import main


raise SystemExit(main())
