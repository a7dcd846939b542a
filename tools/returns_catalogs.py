"""Write the returns message template (.pot) and merge it into each language's catalog.

Run after adding or changing a built-in message in ``ecomkit/returns/_messages.py``:

    .venv/bin/python tools/returns_catalogs.py

New entries appear untranslated (and rendered in English) until a translator fills them in;
``tests/unit/returns/test_messages.py`` fails while any catalog lags behind the templates.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from ecomkit.returns._messages import CATALOG_LOCALES, message_templates


LOCALE_DIR = Path(__file__).resolve().parent.parent / "src" / "ecomkit" / "returns" / "locale"


def template_catalog() -> Catalog:
    """Return the catalog of every built-in English template, keyed by code as context."""
    catalog = Catalog(project="ecomkit", domain="returns", fuzzy=False)
    for code, template in sorted(message_templates().items()):
        msgid = template.text if template.plural is None else (template.text, template.plural)
        catalog.add(msgid, context=code)
    return catalog


def main() -> int:
    """Write ``returns.pot`` and bring every ``<language>/returns.po`` up to date."""
    template = template_catalog()
    with (LOCALE_DIR / "returns.pot").open("wb") as handle:
        write_po(handle, template, omit_header=False, sort_output=True, width=100)
    for language in CATALOG_LOCALES:
        if language == "en":
            continue
        path = LOCALE_DIR / language / "returns.po"
        if path.exists():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=language)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=language, project="ecomkit", domain="returns")
        catalog.update(template, no_fuzzy_matching=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, sort_output=True, width=100, ignore_obsolete=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
