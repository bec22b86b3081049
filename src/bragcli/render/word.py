"""`brag report --format docx`: the committee appendix as a Word document (python-docx).

Committee papers are assembled in Word, so this is a document to paste into, not a picture of
the HTML page: real Heading 1 and Heading 2 styles (a table of contents works), the BRAG key,
the summary, one table per area, rating cells shaded *and* worded, an A4 section (landscape
unless --orientation portrait), "Page N of M" in the footer, the plan's title and date in the
header, header rows repeated on every page and rows kept whole.

It is built from the same plain template context as the other formats (`appendix_context`),
and every text goes through `safetext.document_text`, so control characters are shown escaped
instead of making python-docx fail or hiding text. python-docx is the optional extra
`bragcli[docx]`.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from bragcli.model import Rating
from bragcli.problems import BragError
from bragcli.render import wording as fmt
from bragcli.render.palette import HEADER_FILL, PALETTE
from bragcli.safetext import document_text

INSTALL_HINT = "install it with: pip install 'bragcli[docx]'"

#: page margin, in millimetres
MARGIN_MM = 14


def _text(value: object) -> str:
    return document_text("" if value is None else str(value))


def _rating(value: object) -> Rating | None:
    return Rating(str(value)) if value is not None else None


class _Writer:
    """The document being written, with the few kinds of block the appendix is made of."""

    def __init__(self, context: Mapping[str, Any]) -> None:
        import docx
        from docx.enum.section import WD_ORIENT
        from docx.shared import Mm, Pt

        self.ctx = context
        self.doc = docx.Document()
        normal = self.doc.styles["Normal"]
        normal.font.name = "Arial"
        normal.font.size = Pt(9)
        section = self.doc.sections[0]
        landscape = context["page"]["orientation"] != "portrait"
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (
            (Mm(297), Mm(210))
            if landscape
            else (
                Mm(210),
                Mm(297),
            )
        )
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Mm(MARGIN_MM))
        #: the printable width in millimetres, which every table fills
        self.width_mm = (297 if landscape else 210) - 2 * MARGIN_MM
        self._header_footer(section)
        self.roles: Mapping[str, str] = context["plan"]["roles"]

    # --- page furniture -------------------------------------------------------------------

    def _header_footer(self, section: Any) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        head = section.header.paragraphs[0]
        head.text = _text(
            f"{self.ctx['plan']['title']} · position as of {fmt.uk_date(self.ctx['as_of'])}"
        )
        foot = section.footer.paragraphs[0]
        foot.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        foot.add_run("Page ")
        _field(foot, "PAGE")
        foot.add_run(" of ")
        _field(foot, "NUMPAGES")

    # --- blocks ---------------------------------------------------------------------------

    def heading(self, text: str, level: int) -> None:
        self.doc.add_heading(_text(text), level=level)

    def para(self, text: str, *, bold_lead: str | None = None) -> None:
        p = self.doc.add_paragraph()
        if bold_lead:
            p.add_run(_text(bold_lead)).bold = True
        p.add_run(_text(text))

    def bullets(self, items: Iterable[str]) -> None:
        for item in items:
            self.doc.add_paragraph(_text(item), style="List Bullet")

    def table(
        self,
        header: Sequence[str],
        rows: Iterable[Sequence[object]],
        widths: Sequence[float],
        caption: str,
    ) -> None:
        """A table with a repeated header row; a cell is text, lines of text (a list), or a
        rating (`Rating`: shaded and worded)."""
        from docx.shared import Mm

        title = self.doc.add_paragraph()
        title.add_run(_text(caption)).bold = True
        title.paragraph_format.keep_with_next = True  # never a caption alone at a page's end
        rows = list(rows)
        table = self.doc.add_table(rows=1 + len(rows), cols=len(header))
        table.style = "Table Grid"
        table.autofit = False
        scale = self.width_mm / sum(widths)
        for i, name in enumerate(header):
            cell = table.rows[0].cells[i]
            cell.text = ""
            cell.paragraphs[0].add_run(_text(name)).bold = True
            _shade(cell, HEADER_FILL[1:].upper())
        _row_flags(table.rows[0], header=True)
        for r, row in enumerate(rows, start=1):
            _row_flags(table.rows[r], header=False)
            for i, value in enumerate(row):
                _fill(table.rows[r].cells[i], value)
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Mm(width * scale)  # the grid, which LibreOffice lays out by
            for cell in column.cells:
                cell.width = Mm(width * scale)  # each cell, which Word lays out by

    def lead(self, leads: Iterable[str]) -> str:
        return " / ".join(f"{self.roles[r]}, {r}" if r in self.roles else r for r in leads)

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


def _field(paragraph: Any, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) in `paragraph`, updated by Word as it lays out pages."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for kind, text in (("begin", None), (None, instruction), ("end", None)):
        run = paragraph.add_run()
        if kind is None:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)


def _shade(cell: Any, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _row_flags(row: Any, *, header: bool) -> None:
    """Keep the row on one page; repeat it at the top of each page when it is the header."""
    from docx.oxml import OxmlElement

    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        properties.append(OxmlElement("w:tblHeader"))


def _fill(cell: Any, value: object) -> None:
    from docx.shared import RGBColor

    paragraph = cell.paragraphs[0]
    if isinstance(value, Rating):
        colours = PALETTE[value]
        run = paragraph.add_run(fmt.rating_word(value))
        run.bold = True
        run.font.color.rgb = RGBColor.from_string(colours.ink[1:].upper())
        _shade(cell, colours.colour[1:].upper())
        return
    if isinstance(value, list | tuple):
        lines = [_text(v) for v in value if v]
        for i, line in enumerate(lines):
            target = paragraph if i == 0 else cell.add_paragraph()
            target.add_run(line)
        return
    paragraph.add_run(_text(value) if value not in (None, "") else "–")


def _impact_counts(totals: Mapping[str, Any], ratings: Sequence[str]) -> str:
    found = [f"{totals['impact'][r]} {fmt.rating_word(Rating(r))}" for r in ratings]
    return ", ".join(f for r, f in zip(ratings, found, strict=True) if totals["impact"][r]) or "–"


def report_docx(context: Mapping[str, Any]) -> bytes:
    """The Word document of the report (bytes of a .docx file)."""
    try:
        import docx  # noqa: F401
    except ImportError:
        raise BragError(
            f"--format docx needs python-docx, which is not installed; {INSTALL_HINT}"
        ) from None
    w = _Writer(context)
    plan, ratings = context["plan"], context["ratings"]
    w.doc.add_heading(_text(f"{plan['title']}: progress report"), level=0)
    meta = f"{plan['organisation']}"
    if plan["version"]:
        meta += f" · version {plan['version']}"
    w.para(f"{meta} · position as of {fmt.uk_date(context['as_of'])}")
    w.para(f"{context['provenance']} Made with {context['generator']}.")
    if context["source_filter"]:
        w.para(f"Only the actions whose source contains “{context['source_filter']}”.")

    since = context["since"]
    if since is not None:
        w.heading(f"Since the last board ({fmt.uk_date(since['date'])})", 1)
        w.para(
            f"What changed from the plan as recorded on {fmt.uk_date(since['date'])} "
            f"(reference {since['short']}, {since['rev']}) to this report: "
            f"{fmt.plural(since['count'], 'change')}."
        )
        for group in since["groups"]:
            w.heading(f"{group['heading']} ({len(group['changes'])})", 2)
            w.table(
                ["ID", "Area", "Action", "What changed"],
                (
                    [c["id"], c["area"], c["title"], [c["text"], *c.get("notes", ())]]
                    for c in group["changes"]
                ),
                [12, 12, 90, 120],
                group["heading"],
            )
        if not since["groups"]:
            w.para("Nothing in the plan changed since the last board.")

    w.heading("BRAG key", 1)
    w.table(
        ["Rating", "Meaning"],
        ([Rating(r), plan["brag_key"][r]] for r in ratings),
        [30, 200],
        "What each rating means",
    )

    w.heading("Summary by improvement area", 1)
    words = [fmt.rating_word(Rating(r)) for r in ratings]
    summary_rows: list[list[object]] = [
        [
            f"{a['area']['id']}. {a['area']['title']}",
            *(str(a["totals"]["status"][r]) for r in ratings),
            str(a["totals"]["actions"]),
            str(a["totals"]["overdue"]),
            _impact_counts(a["totals"], ratings),
        ]
        for a in context["areas"]
    ]
    totals = context["totals"]
    summary_rows.append(
        [
            "Total",
            *(str(totals["status"][r]) for r in ratings),
            str(totals["actions"]),
            str(totals["overdue"]),
            _impact_counts(totals, ratings),
        ]
    )
    w.table(
        ["Area", *words, "Actions", "Overdue", "Impact rated"],
        summary_rows,
        [90, *([15] * len(ratings)), 15, 15, 30],
        "Activity ratings, overdue actions and impact ratings by improvement area",
    )

    w.heading("Overdue and red actions", 1)
    if context["attention"]:
        w.table(
            ["ID", "Action", "Lead", "Deadline", "Overdue by", "Rating"],
            (
                [
                    v["action"]["id"],
                    v["action"]["title"],
                    w.lead(v["action"]["lead"]),
                    v["action"]["deadline"] or "none",
                    fmt.plural(v["days_overdue"], "day") if v["overdue"] else "not overdue",
                    Rating(v["action"]["status"]),
                ]
                for v in context["attention"]
            ),
            [12, 100, 50, 25, 22, 22],
            "Actions past their deadline, and actions rated red",
        )
    else:
        w.para("No action is overdue or rated red.")

    for a in context["areas"]:
        _area(w, a)

    if plan["roles"]:
        w.heading("Glossary of roles", 1)
        w.table(
            ["Role", "Name"],
            ([role, name] for role, name in plan["roles"].items()),
            [120, 100],
            "Lead roles and the people who hold them",
        )
    return w.save()


def _area(w: _Writer, a: Mapping[str, Any]) -> None:
    from docx.enum.text import WD_BREAK

    area = a["area"]
    w.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    w.heading(f"{area['id']}. {area['title']}", 1)
    if area["source"]:
        w.para("; ".join(area["source"]), bold_lead="Source of every action: ")
    if area["lead"]:
        w.para(w.lead(area["lead"]), bold_lead="Area owner: ")
    if area["status"] or area["impact"]:
        w.para(
            f"activity {fmt.rating_word(_rating(area['status'])) or '–'}, "
            f"impact {fmt.rating_word(_rating(area['impact'])) or '–'}",
            bold_lead="Board's rating of the area: ",
        )
    if a["actions"]:
        rows = []
        for v in a["actions"]:
            act = v["action"]
            title = [act["title"]]
            if act["success_criteria"]:
                title.append(f"Success criteria: {act['success_criteria']}")
            if act["source"] and not area["source"]:
                title.append(f"Source: {'; '.join(act['source'])}")
            deadline = [act["deadline"] or "none"]
            if v["overdue"]:
                deadline.append(f"overdue {fmt.plural(v['days_overdue'], 'day')}")
            if act["replanned"]:
                times = f" {fmt.plural(act['replans'], 'time')}" if act["replans"] else ""
                deadline.append(f"First agreed: {act['baseline']} (re-planned{times})")
            notes = [
                ("new: " if n["new"] else "")
                + (f"{fmt.uk_date(n['date'])}: " if n["date"] else "")
                + n["text"]
                for n in act["notes"]
            ]
            if act["impact_evidence"]:
                notes.append(f"Impact evidence: {'; '.join(act['impact_evidence'])}")
            rows.append(
                [
                    act["id"],
                    title,
                    w.lead(act["lead"]),
                    deadline,
                    Rating(act["status"]),
                    _rating(act["impact"]) or "–",
                    notes,
                ]
            )
        w.table(
            ["ID", "Action", "Lead", "Deadline", "Rating", "Impact", "Progress"],
            rows,
            [11, 70, 38, 26, 20, 20, 82],
            f"Actions of improvement area {area['id']}",
        )
    else:
        w.para("No actions.")
    if area["outcomes"]:
        w.heading("Expected outcomes (how we will know)", 2)
        w.bullets(
            o["text"] + (f" (evidence: {', '.join(o['evidence'])})" if o["evidence"] else "")
            for o in area["outcomes"]
        )
    if a["measures"]:
        w.heading("Measures that matter", 2)
        w.table(
            ["Measure", "Readings (period: value)", "Target", "Latest meets target", "Change"],
            (
                [
                    row["measure"]["name"],
                    [f"{r['period']}: {r['value_text']}" for r in row["measure"]["series"]]
                    or "no reading yet",
                    row["measure"]["target_text"] or "–",
                    {True: "yes", False: "no", None: "–"}[row["reading"]["meets"]]
                    if row["reading"]
                    else "–",
                    (row["reading"]["change_text"] or "–") if row["reading"] else "–",
                ]
                for row in a["measures"]
            ),
            [100, 60, 30, 30, 25],
            f"Measures that matter, improvement area {area['id']}",
        )
        for row in a["measures"]:
            series = row["measure"]["series"]
            if len(series) < 2:
                continue
            target = row["measure"]["target_text"] or "–"
            w.table(
                ["Period", "Value", "Meets target", "Source"],
                (
                    [
                        r["period"],
                        r["value_text"],
                        {True: "yes", False: "no", None: "–"}[r["meets"]],
                        r["source"] or "–",
                    ]
                    for r in series
                ),
                [40, 40, 30, 80],
                f"Readings of {row['measure']['name']} (target: {target})",
            )
