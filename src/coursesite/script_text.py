"""The messages site.js shows (search status), in the page's language: the script reads them from
the search form's `data-messages`, so they come from the same catalogs as the pages' words."""

from __future__ import annotations

from coursesite.translations import _


def script_messages() -> dict[str, str]:
    """site.js's TEXT: `{name}` marks what the script fills in."""
    return {
        "file": _("Search needs the site to be served by a web server: browsers do not allow it for pages "
                  "opened as files. Use the published site, or run python3 -m http.server in the built "
                  "folder and open the address it prints."),
        "searching": _("Searching…"),
        "unavailable": _("Search is unavailable: the search index of this site could not be loaded."),
        "none": _("No results for “{query}”{where}."),
        "one": _("{count} result for “{query}”{where}"),
        "many": _("{count} results for “{query}”{where}"),
        "where": _(" in all courses"),
        "best": _("; showing the best {shown}."),
        "end": _("."),
    }
