"""Every problem code bragcli reports, declared once: the warning rules (one module each) and
the errors found while loading. The tables of codes in docs/rules.md are rendered from here
(`markdown_table`), and `brag check --disable/--enable` and `checks:` in plan.yaml are
checked against it (`not_a_warning`).
"""

from __future__ import annotations

from bragcli.problems import Level
from bragcli.rules import (
    area_rating_optimistic,
    blue_without_impact,
    deadline_before_start,
    deadline_not_a_date,
    id_area_mismatch,
    impact_unevidenced,
    missing_updated,
    overdue_green,
    overdue_not_started,
    stale_progress,
    stale_reading,
    two_digit_year,
    unknown_lead,
)
from bragcli.rules.base import (
    AreaRuleModule,
    Declaration,
    RuleModule,
    Scope,
    declaration,
)
from bragcli.source.yamlread import MAX_DEPTH

#: The warning rules that judge one action at a time, in the order docs/rules.md lists them.
RULES: tuple[RuleModule, ...] = (
    deadline_not_a_date,
    deadline_before_start,
    two_digit_year,
    unknown_lead,
    overdue_green,
    overdue_not_started,
    blue_without_impact,
    impact_unevidenced,
    stale_progress,
    missing_updated,
)

#: The warning rules that judge areas as a whole or together (listed after RULES; unknown-lead,
#: in both, judges action leads and area owners and is declared once).
AREA_RULES: tuple[AreaRuleModule, ...] = (
    unknown_lead,
    area_rating_optimistic,
    stale_reading,
    id_area_mismatch,
)


def _error(code: str, scope: Scope, summary: str) -> Declaration:
    return Declaration(code, Level.ERROR, scope, summary)


_FILE, _PLAN = Scope.FILE, Scope.PLAN

#: The errors found while reading and validating the plan's files (source/yamlread.py,
#: source/load.py): a plan with any of them is not reported on.
LOAD_ERRORS: tuple[Declaration, ...] = (
    _error(
        "yaml-syntax", _FILE,
        "Not valid YAML: the message says where and usually why (a tab or a non-breaking space "
        "in the indentation, an unclosed quote, an unquoted `: `, a key without its colon).",
    ),
    _error(
        "encoding", _FILE,
        "The file is not UTF-8 (a BOM is fine): UTF-16, a binary file, a stray byte.",
    ),
    _error("empty-file", _FILE, "Nothing but blank lines or comments."),
    _error(
        "file-too-large", _FILE, "Over `--max-file-size` (default 5 MB); the file is not read."
    ),
    _error(
        "too-many-errors", _FILE,
        "The file has more errors than are shown (at most 200 a file; validation of a long list "
        "stops after 200): fix those shown and check again.",
    ),
    _error(
        "unreadable", _FILE,
        "Cannot be read: permissions, a folder named like a YAML file, a symlink loop.",
    ),
    _error(
        "outside-plan-folder", _FILE,
        "The file is a symbolic link to a file outside the plan folder; it is not read, so no "
        "line of another file (`/etc/shadow`) can reach a message or a CI log. Links that stay "
        "inside the folder work.",
    ),
    _error(
        "merge-conflict", _FILE,
        "git conflict markers (`<<<<<<<`, `=======`, `>>>>>>>`) were left in the file.",
    ),
    _error(
        "duplicate-key", _FILE,
        "The same key twice in one mapping (YAML would silently keep the last). Names both "
        "lines.",
    ),
    _error(
        "alias", _FILE,
        "Anchors (`&a`) and aliases (`*a`) are refused: alias expansion is a memory bomb.",
    ),
    _error("tag", _FILE, "Tags such as `!!python/object` are refused."),
    _error("merge-key", _FILE, "`<<` merge keys are refused."),
    _error("multi-document", _FILE, "More than one YAML document (`---`) in a file."),
    _error("bad-key", _FILE, "A key that is not plain text."),
    _error("too-deep", _FILE, f"Nested more than {MAX_DEPTH} levels."),
    _error(
        "not-a-mapping", _FILE,
        "The file holds a list or text where a mapping of keys belongs.",
    ),
    _error(
        "unknown-key", _FILE,
        'A key the format does not have, with a "did you mean" suggestion. Keys starting with '
        "`x-` are allowed and ignored.",
    ),
    _error("missing-key", _FILE, "A required key is missing."),
    _error("empty-value", _FILE, "A required value is empty."),
    _error(
        "wrong-type", _FILE,
        "A list where text belongs, text where a mapping belongs, and so on.",
    ),
    _error(
        "unknown-rating", _FILE,
        "A rating that is not blue, green, amber, red or not-started, quoted as written, with "
        "the nearest rating (`status: Amebr`: did you mean 'amber'?).",
    ),
    _error(
        "invalid-value", _FILE,
        "A value outside its choices, with the nearest one (`good: Hihger`, `quarters: "
        "fiscal`; a code under `checks:` that is not a warning), or a target that does not "
        "fit its direction.",
    ),
    _error(
        "bad-id", _FILE,
        "An id with a space, or a character a reader cannot see or tell apart: a control or "
        "invisible formatting character (zero-width space, bidi control, ESC), a non-breaking "
        "space, a combining mark. The message names the character (`U+200B ZERO WIDTH SPACE`) "
        "and the id to write.",
    ),
    _error(
        "bad-date", _FILE,
        "A date (`start`, `updated`, a dated note) that is not one day written `2023-01-31`, "
        "`31/01/2023`, `31/01/23` or `31 January 2023`: a time (`2023-01-01T00:00:00`), a "
        "timestamp, or a day that does not exist (`31/02/23`).",
    ),
    _error(
        "bad-note", _FILE,
        "A progress note written as a mapping that is not `DATE: text`: most often a note with "
        "an unquoted `: ` in it, which YAML reads as a key (quote the note).",
    ),
    _error(
        "bad-number", _FILE,
        "A reading's value or a target that is not one plain decimal number (write `41`, with "
        '`unit: "%"` on the measure; no `1_000`, `1,000`, `inf`, a range such as `45-50%` '
        "or a unit), or one too large to be finite (`1e999`); a `checks:` setting "
        "(`stale_days`, `impact_days`, `stale_reading_months`) that is not a whole number in "
        "its range. The message names the measure.",
    ),
    _error(
        "bad-deadline", Scope.ACTION,
        "A `deadline` or `baseline` in a form bragcli does not understand (see "
        "[Deadlines](plan-format.md#deadlines)).",
    ),
    _error(
        "duplicate-id", _PLAN,
        "Two areas, or two actions anywhere in the plan, with the same id, also when they "
        "differ only in case or character width (`2A` and `2a`, fullwidth "
        "`\uff11.\uff11` and `1.1`). Names both places.",
    ),
    _error("no-plan-file", _PLAN, "The folder has no `plan.yaml`."),
    _error("no-areas", _PLAN, "The folder has no area files."),
    _error(
        "duplicate-plan-file", _PLAN, "Both `plan.yaml` and `plan.yml` are in the folder."
    ),
)  # fmt: skip

_ACTION_CODES = {rule.CODE for rule in RULES}
#: Every code, warnings first, each declared once.
DECLARATIONS: tuple[Declaration, ...] = (
    *map(declaration, RULES),
    *(declaration(rule) for rule in AREA_RULES if rule.CODE not in _ACTION_CODES),
    *LOAD_ERRORS,
)
BY_CODE: dict[str, Declaration] = {d.code: d for d in DECLARATIONS}
WARNING_CODES: tuple[str, ...] = tuple(d.code for d in DECLARATIONS if d.level is Level.WARNING)


def not_a_warning(code: str) -> str | None:
    """Why `code` cannot be given to --disable, --enable or `checks:` (None when it can).

    The reason follows the code in a sentence: "'unknwn-lead' is not a warning ...".
    """
    declared = BY_CODE.get(code)
    if declared is not None and declared.level is Level.WARNING:
        return None
    if declared is not None:
        return (
            "is an error, and errors are always reported: only warnings can be disabled or "
            "enabled (fix what it reports instead)"
        )
    import difflib  # only for a code that is not a warning's

    guess = difflib.get_close_matches(code[:100], WARNING_CODES, n=1, cutoff=0.6)
    if guess:
        return f"is not a warning of brag check; did you mean {guess[0]!r}?"
    return f"is not a warning of brag check; the warnings are {', '.join(WARNING_CODES)}"


def enabled_codes(disable: tuple[str, ...] = (), enable: tuple[str, ...] = ()) -> frozenset[str]:
    """The warnings reported: those on by default, less `disable`, plus `enable`."""
    on = {d.code for d in DECLARATIONS if d.level is Level.WARNING and d.enabled}
    return frozenset((on - set(disable)) | set(enable))


def markdown_table(level: Level) -> str:
    """docs/rules.md's table of the codes of one level (warnings: with what to do)."""
    declared = [d for d in DECLARATIONS if d.level is level]
    if level is Level.WARNING:
        rows = ["| Code | Scope | Default | What it means | What to do |", "|---|---|---|---|---|"]
        rows += [
            f"| `{d.code}` | {d.scope} | {'on' if d.enabled else 'off'} | {_cell(d.summary)} "
            f"| {_cell(d.fix)} |"
            for d in declared
        ]
    else:
        rows = ["| Code | Scope | What it means |", "|---|---|---|"]
        rows += [f"| `{d.code}` | {d.scope} | {_cell(d.summary)} |" for d in declared]
    return "\n".join(rows) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
