"""Links and headings of Markdown pages, read as GitHub renders them.

A page is parsed with markdown-it (CommonMark and tables, as GitHub Flavored Markdown), so a
`## heading` inside a fenced block is not a heading and a link inside a table cell is a link.
A heading's anchor is made by GitHub's rule (github-slugger): the heading's text as rendered
(code spans keep their text, emphasis and link markup go), lower-cased, with every character
removed that is not a letter, a mark, a digit, `_`, `-` or a space, and each space made `-`;
a slug already used on the page gets `-1`, `-2`, … .

`problems(page, root)` says, one line per problem, which links of a page do not resolve:
a relative link must name a file or folder that exists inside `root` (no `..` out of it, no
absolute path, no symbolic link out of it), an `#anchor` must be a heading of the page it
points into, and any other link must be a well-formed https URL (links are not fetched).
`outline_problems(text)` says where a page's outline is not one `#` title with sections below.
"""

from __future__ import annotations

import itertools
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token

#: Unicode categories github-slugger removes: punctuation but the connectors (`_`), symbols
#: (emoji too), separators, other numbers (², ½) and control, format and unassigned
#: characters. `-` and the space are kept.
_REMOVED = frozenset(
    {"Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Sm", "Sc", "Sk", "So", "Zs", "Zl", "Zp", "No"}
    | {"Cc", "Cf", "Co", "Cn", "Cs"}
)
_KEPT = frozenset("- ")
#: a fragment GitHub gives a line of a file that is not Markdown (`cli.py#L10`, `#L10-L20`)
_LINE_FRAGMENT = re.compile(r"L\d+(-L\d+)?")
_HOST_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)", re.IGNORECASE)
_ATTRIBUTE_URL = re.compile(r"""\b(?:href|src)\s*=\s*["']([^"']*)["']""", re.IGNORECASE)


def github_slug(text: str) -> str:
    """The anchor GitHub gives a heading whose rendered text is `text` (before duplicates)."""
    kept = (c for c in text.lower() if c in _KEPT or unicodedata.category(c) not in _REMOVED)
    return "".join(kept).replace(" ", "-")


class Slugger:
    """Anchors for the headings of one page, in order: a slug used before gets `-1`, `-2`…,
    skipping any that an earlier heading already has (as github-slugger does)."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def slug(self, text: str) -> str:
        base = result = github_slug(text)
        while result in self._seen:
            self._seen[base] += 1
            result = f"{base}-{self._seen[base]}"
        self._seen[result] = 0
        return result


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    line: int
    anchor: str


@dataclass(frozen=True)
class Link:
    target: str
    line: int


def _tokens(text: str) -> list[Token]:
    return MarkdownIt("commonmark").enable("table").parse(text)


def _rendered_text(inline: Token) -> str:
    """The text a reader sees in a heading: code spans' text, no markup, no HTML tags."""
    parts = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts).strip()


def headings(text: str) -> list[Heading]:
    """Every heading of a page, with the anchor GitHub gives it."""
    tokens = _tokens(text)
    slugger = Slugger()
    found = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            words = _rendered_text(tokens[i + 1])
            line = (token.map or [0])[0] + 1
            found.append(Heading(int(token.tag[1:]), words, line, slugger.slug(words)))
    return found


def links(text: str) -> list[Link]:
    """Every link and image of a page, in Markdown or in HTML, with its line."""
    found = []
    for token in _tokens(text):
        line = (token.map or [0])[0] + 1
        if token.type == "html_block":
            found += [Link(url, line) for url in _ATTRIBUTE_URL.findall(token.content)]
        for child in [token, *(token.children or [])]:
            if child.type == "link_open":
                found.append(Link(str(child.attrs["href"]), line))
            elif child.type == "image":
                found.append(Link(str(child.attrs["src"]), line))
            elif child.type == "html_inline":
                found += [Link(url, line) for url in _ATTRIBUTE_URL.findall(child.content)]
    return found


def https_problem(url: str) -> str | None:
    """Why `url` is not a well-formed https URL, or None."""
    if any(c.isspace() or unicodedata.category(c) == "Cc" for c in url):
        return "has a space or a control character"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as e:
        return f"is not a URL ({e})"
    if parts.scheme != "https":
        return "is not an https link (write https://…, or a relative link to a file here)"
    host = parts.hostname or ""
    labels = host.split(".")
    if len(labels) < 2 or not all(_HOST_LABEL.fullmatch(label) for label in labels):
        return f"has no valid host name ({host!r})"
    if port == 0:
        return "has port 0"
    return None


def problems(page: Path, root: Path) -> list[str]:
    """Each link of `page` that does not resolve, as `PAGE:LINE: link to TARGET: why`."""
    root = root.resolve()
    text = page.read_text(encoding="utf-8")
    name = page.resolve().relative_to(root)
    found = []
    anchors_of: dict[Path, set[str]] = {}
    for link in links(text):
        why = _link_problem(page, root, link.target, anchors_of)
        if why:
            found.append(f"{name}:{link.line}: link to {link.target}: {why}")
    return found


def _link_problem(
    page: Path, root: Path, target: str, anchors_of: dict[Path, set[str]]
) -> str | None:
    if re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", target) or target.startswith("//"):
        return https_problem(target)
    path_part, _, fragment = target.partition("#")
    path_part, fragment = unquote(path_part), unquote(fragment)
    if path_part.startswith("/"):
        return "an absolute path: write it relative to this page"
    if not path_part and not fragment:
        return "an empty link"
    here = page.resolve()
    written = Path(os.path.normpath(here.parent / path_part)) if path_part else here
    destination = written.resolve()
    if not (written.is_relative_to(root) and destination.is_relative_to(root)):
        return "leads out of the repository"
    if not destination.exists() or not _named_exactly(root, written):
        return "no such file or folder in the repository"
    if "#" not in target:
        return None
    if destination.suffix.lower() != ".md":
        if _LINE_FRAGMENT.fullmatch(fragment):
            return None
        return "an anchor into a file that is not Markdown (only #L10 lines are linkable)"
    if destination not in anchors_of:
        source = destination.read_text(encoding="utf-8")
        anchors_of[destination] = {h.anchor for h in headings(source)}
    if fragment not in anchors_of[destination]:
        return f"no heading has the anchor #{fragment} in {destination.relative_to(root)}"
    return None


def _named_exactly(root: Path, path: Path) -> bool:
    """Whether each part of `path` below `root` is a name in its folder, letter case and all,
    as on GitHub, also where the file system ignores case."""
    folder = root
    for part in path.relative_to(root).parts:
        if part not in os.listdir(folder):
            return False
        folder = folder / part
    return True


def outline_problems(text: str) -> list[str]:
    """Where a page's outline is not one `#` title first, then sections a level at a time."""
    found = []
    outline = headings(text)
    if not outline or outline[0].level != 1:
        found.append("the page does not start with a # title")
    titles = [h for h in outline if h.level == 1]
    found += [f"line {h.line}: a second # title: {h.text}" for h in titles[1:]]
    for before, heading in itertools.pairwise(outline):
        if heading.level > before.level + 1:
            found.append(
                f"line {heading.line}: {'#' * heading.level} {heading.text} "
                f"comes under a {'#' * before.level} heading (a level skipped)"
            )
    return found
