"""Every link of the README and of docs/ resolves, and each page has a sane outline.

A relative link names a file or folder inside the repository, an `#anchor` names a heading of
the page it points into by GitHub's rule (tests/doclinks.py), an external link is a well-formed
https URL (never fetched). The link checker itself is tested on pages made to break it: a
missing file, a missing anchor, duplicate headings, headings with code, colons and apostrophes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from doclinks import Slugger, github_slug, headings, https_problem, outline_problems, problems
from docpages import DOCS, README, ROOT, all_pages


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


# --- the pages -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", all_pages(), ids=_name)
def test_every_link_and_anchor_resolves(path: Path) -> None:
    assert problems(path, ROOT) == []


@pytest.mark.parametrize("path", all_pages(), ids=_name)
def test_every_page_has_one_title_and_sections_below_it(path: Path) -> None:
    assert outline_problems(path.read_text(encoding="utf-8")) == []


def _linked_pages(path: Path) -> set[Path]:
    text = path.read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)#]+\.md)(?:#[^)]*)?\)", text)
    return {(path.parent / target).resolve() for target in targets}


def test_the_readme_and_the_index_link_every_docs_page() -> None:
    pages = {p.resolve() for p in DOCS.glob("*.md")}
    assert len(pages) >= 12
    assert pages <= _linked_pages(README), "README does not link every page of docs/"
    index = DOCS / "index.md"
    assert pages - {index.resolve()} <= _linked_pages(index), "docs/index.md misses a page"


def test_the_readme_outline_holds_no_rendered_report() -> None:
    """A report's own headings ("## BRAG key", "## 1. Corporate…") once broke the README's
    outline; the README's sections are its own."""
    titles = [h.text for h in headings(README.read_text(encoding="utf-8"))]
    assert titles[0] == "bragcli"
    assert not any("BRAG key" in t or re.match(r"\d+\. ", t) for t in titles), titles
    assert "Quick start" in titles and "Documentation" in titles


# --- GitHub's anchors ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        ("`brag diff`: what changed", "brag-diff-what-changed"),
        ("From the tracker: the officer's loop", "from-the-tracker-the-officers-loop"),
        ("`--rev`: the plan as it was", "--rev-the-plan-as-it-was"),
        ("`brag diff --format json`", "brag-diff---format-json"),
        ("The board\u2019s \u201cown\u201d rating", "the-boards-own-rating"),
        ("C++ & Rust (v2.0)!", "c--rust-v20"),
        ("snake_case and kebab-case", "snake_case-and-kebab-case"),
        ("Due ≤30d, 🎉 done", "due-30d--done"),
        ("Über große Schritte", "über-große-schritte"),
        ("Plan  with two spaces", "plan--with-two-spaces"),
        ("x² and ½", "x-and-"),
        ("Printing, PDF and Word", "printing-pdf-and-word"),
    ],
)  # fmt: skip
def test_github_slug(heading: str, anchor: str) -> None:
    assert github_slug(heading) == anchor


def test_duplicate_headings_get_a_number_as_on_github() -> None:
    slugger = Slugger()
    assert [slugger.slug(t) for t in ("Notes", "Notes", "notes!", "Notes-1", "Notes")] == [
        "notes", "notes-1", "notes-2", "notes-1-1", "notes-3",
    ]  # fmt: skip


def test_a_heading_is_read_as_rendered() -> None:
    text = (
        "# Title\n\n"
        "## See [the *plan* format](plan.md) and `x: y`\n\n"
        "```\n## Not a heading: in a fenced block\n```\n\n"
        "Setext heading\n--------------\n\n"
        "## Title\n"
    )
    assert [(h.level, h.anchor) for h in headings(text)] == [
        (1, "title"),
        (2, "see-the-plan-format-and-x-y"),
        (2, "setext-heading"),
        (2, "title-1"),
    ]


# --- the checker on pages made to break it -------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "guide.md").write_text(
        "# Guide\n\n## Set up\n\n## Set up\n\n## `brag check`: the officer's view\n\n"
        "```sh\n## not a heading\n```\n",
        encoding="utf-8",
    )
    (root / "tool.py").write_text("print(1)\n", encoding="utf-8")
    (tmp_path / "outside.md").write_text("# Outside\n", encoding="utf-8")
    return root


def _check(repo: Path, link: str) -> list[str]:
    page = repo / "README.md"
    page.write_text(f"# Readme\n\nSee [this]({link}).\n", encoding="utf-8")
    return problems(page, repo)


@pytest.mark.parametrize(
    "link",
    [
        "docs/guide.md",
        "docs/guide.md#set-up",
        "docs/guide.md#set-up-1",
        "docs/guide.md#brag-check-the-officers-view",
        "docs/",
        "docs",
        "#readme",
        "./docs/../docs/guide.md#guide",
        "tool.py#L1",
        "https://example.org/a/b?c=d#e",
        "https://pre-commit.com",
    ],
)
def test_links_that_resolve(repo: Path, link: str) -> None:
    assert _check(repo, link) == []


@pytest.mark.parametrize(
    ("link", "why"),
    [
        ("docs/missing.md", "no such file or folder"),
        ("docs/Guide.md", "no such file or folder"),
        ("Docs/guide.md#guide", "no such file or folder"),
        ("docs/guide.md#missing", "no heading has the anchor #missing in docs/guide.md"),
        ("docs/guide.md#set-up-2", "no heading has the anchor #set-up-2"),
        ("docs/guide.md#Set-up", "no heading has the anchor #Set-up"),
        ("docs/guide.md#not-a-heading", "no heading has the anchor"),
        ("docs/guide.md#brag-check-the-officer's-view", "no heading has the anchor"),
        ("#nowhere", "no heading has the anchor #nowhere in README.md"),
        ("../outside.md", "leads out of the repository"),
        ("docs/../../outside.md#outside", "leads out of the repository"),
        ("/etc/passwd", "an absolute path"),
        ("tool.py#main", "not Markdown"),
        ("http://example.org", "is not an https link"),
        ("mailto:board@example.org", "is not an https link"),
        ("ftp://example.org/plan.yaml", "is not an https link"),
        ("https://", "has no valid host name"),
        ("https://localhost/x", "has no valid host name"),
        ("https://exa_mple.org", "has no valid host name"),
        ("https://-example.org", "has no valid host name"),
        ("https://example.org:99999/", "is not a URL"),
        ("<https://exa mple.org>", "has no valid host name"),
        ("//example.org/x", "is not an https link"),
    ],
)
def test_links_that_do_not_resolve(repo: Path, link: str, why: str) -> None:
    (found,) = _check(repo, link)
    assert found.startswith("README.md:3: link to ") and why in found, found


def test_a_symbolic_link_out_of_the_repository_does_not_resolve(repo: Path) -> None:
    (repo / "docs" / "elsewhere.md").symlink_to(repo.parent / "outside.md")
    (found,) = _check(repo, "docs/elsewhere.md")
    assert "leads out of the repository" in found


def test_links_in_tables_html_and_images_are_checked(repo: Path) -> None:
    page = repo / "README.md"
    page.write_text(
        "# Readme\n\n| a | b |\n|---|---|\n| [x](gone.md) | ok |\n\n"
        '<p><a href="docs/guide.md#nope">x</a></p>\n\n![chart](chart.svg)\n',
        encoding="utf-8",
    )
    assert problems(page, repo) == [
        "README.md:5: link to gone.md: no such file or folder in the repository",
        "README.md:7: link to docs/guide.md#nope: no heading has the anchor #nope in docs/guide.md",
        "README.md:9: link to chart.svg: no such file or folder in the repository",
    ]


def test_https_problem_accepts_only_well_formed_https() -> None:
    assert https_problem("https://no-color.org") is None
    assert https_problem("https://example.org:8443/x") is None
    assert https_problem("https://example.org/\x1b[2J") == "has a space or a control character"
    assert https_problem("https://example.org:0/") == "has port 0"


# --- the outline ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Intro\n\n## Section\n", "the page does not start with a # title"),
        ("## Section\n\n# Title\n", "the page does not start with a # title"),
        ("# Title\n\n## A\n\n# Another\n", "line 5: a second # title: Another"),
        ("# Title\n\n### Deep\n", "line 3: ### Deep comes under a # heading (a level skipped)"),
        ("", "the page does not start with a # title"),
    ],
)
def test_outline_problems(text: str, problem: str) -> None:
    assert problem in outline_problems(text)


def test_a_report_in_a_fenced_block_does_not_break_the_outline() -> None:
    text = "# Title\n\n## Tour\n\n```\n# Report\n## BRAG key\n#### Deep\n```\n\n### Sub\n"
    assert outline_problems(text) == []


# --- the source distribution ---------------------------------------------------------------


def test_the_sdist_carries_every_page_the_readme_links(tmp_path: Path) -> None:
    """The README is the package's long description; the pages it links travel with it."""
    pytest.importorskip("hatchling", reason="hatchling builds the sdist (test extra)")
    import tarfile

    from hatchling.builders.sdist import SdistBuilder

    (built,) = SdistBuilder(str(ROOT)).build(directory=str(tmp_path), versions=["standard"])
    with tarfile.open(built) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    linked = {str(p.relative_to(ROOT)) for p in _linked_pages(README)}
    assert linked and linked <= names, linked - names
