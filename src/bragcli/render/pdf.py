"""`brag report --format pdf`: the HTML report (its print CSS) laid out by WeasyPrint.

WeasyPrint is the optional extra `bragcli[pdf]`. The HTML comes from the HTML template, the
default or the user's own (run in the sandbox like any other); WeasyPrint is given a URL fetcher
that refuses every URL but inline `data:` ones, so no template can make the PDF read a local
file (as an image, a stylesheet or an attachment) or reach the network.
"""

from __future__ import annotations

import logging
from typing import Any

from bragcli.problems import BragError

#: what to install, in the words of the message when WeasyPrint is missing
INSTALL_HINT = "install it with: pip install 'bragcli[pdf]'"


def _data_only() -> Any:
    """A WeasyPrint URL fetcher that fetches `data:` URLs (inline images) and nothing else."""
    from weasyprint import urls

    if hasattr(urls, "URLFetcher"):  # WeasyPrint 68 and later
        return urls.URLFetcher(allowed_protocols={"data"}, fail_on_errors=False)

    def fetch(url: str, *args: Any, **kwargs: Any) -> Any:  # earlier: a function
        if url.startswith("data:"):
            return urls.default_url_fetcher(url)
        raise ValueError("a PDF report reads no file and no URL")

    return fetch


def html_to_pdf(html: str) -> bytes:
    """The PDF of `html`, laid out by its print CSS (A4, page numbers, running header)."""
    try:
        import weasyprint
    except ImportError:
        raise BragError(
            f"--format pdf needs WeasyPrint, which is not installed; {INSTALL_HINT}"
        ) from None
    except OSError as e:  # WeasyPrint is there, the Pango library it needs is not
        raise BragError(
            f"--format pdf needs the Pango library, which WeasyPrint could not load ({e}); "
            "install Pango (e.g. apt-get install libpango-1.0-0) or use --format html and print "
            "it from a browser"
        ) from None
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    document = weasyprint.HTML(string=html, url_fetcher=_data_only(), base_url=None)
    data: bytes = document.write_pdf()
    return data
