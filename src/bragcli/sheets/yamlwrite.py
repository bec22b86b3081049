"""Areas and plans as YAML files in bragcli's format, as a person would write them: block
style, ids always quoted, long text folded, characters YAML mishandles escaped."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, cast

import yaml
from yaml.nodes import Node, ScalarNode

from bragcli.deadlines import ShortYearDate
from bragcli.model import DEFAULT_STALE_DAYS, Action, Area, Measure, Note, Outcome, Plan


class _Quoted(str):
    """Text always written in double quotes (ids: "1.10" must never look like a number)."""


class _Dumper(yaml.SafeDumper):
    """Block style, list items indented under their key, no anchors, quoting when needed."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        return True


#: Text longer than this is written folded (">-"), as the sample plan is; shorter text plain.
_FOLD_OVER = 80
#: Line width of written YAML; a line can run one word past it.
_WIDTH = 80

#: Characters PyYAML mishandles outside double quotes (NEL and the Unicode line and paragraph
#: separators are YAML line breaks), and control characters: written as escapes.
_NEEDS_ESCAPES = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def _represent_str(dumper: yaml.SafeDumper, data: str) -> ScalarNode:
    if _NEEDS_ESCAPES.search(data):
        style: str | None = '"'
    elif "\n" in data:
        style = "|"
    else:
        style = ">" if len(data) > _FOLD_OVER else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


def _represent_quoted(dumper: yaml.SafeDumper, data: _Quoted) -> ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style='"')


def _represent_float(dumper: yaml.SafeDumper, data: float) -> ScalarNode:
    """22.0 -> 22, 16.35 -> 16.35: plain, exact (repr round-trips), read back as text."""
    text = str(int(data)) if data.is_integer() and abs(data) < 1e15 else repr(data)
    resolve = cast(Callable[[type[Node], str, tuple[bool, bool]], str], dumper.resolve)
    return ScalarNode(resolve(ScalarNode, text, (True, False)), text)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Quoted, _represent_quoted)
_Dumper.add_representer(float, _represent_float)
_Dumper.add_representer(ShortYearDate, yaml.SafeDumper.represent_date)  # written in full

AREA_MODELINE = "# yaml-language-server: $schema=../schemas/area.schema.json"
PLAN_MODELINE = "# yaml-language-server: $schema=../schemas/plan.schema.json"


def _dump(data: dict[str, Any]) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=_WIDTH,
        default_flow_style=False,
    )


def _action_data(action: Action) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": _Quoted(action.id),
        "title": action.title,
        "lead": action.lead[0] if len(action.lead) == 1 else list(action.lead),
    }
    if action.deadline is not None:
        data["deadline"] = action.deadline
    data["status"] = action.status.value
    if action.impact is not None:
        data["impact"] = action.impact.value
    if action.updated is not None:
        data["updated"] = action.updated
    if action.baseline is not None:
        data["baseline"] = action.baseline
    if action.success_criteria is not None:
        data["success_criteria"] = action.success_criteria
    for key in ("source", "impact_evidence"):
        texts = getattr(action, key)
        if texts:
            data[key] = texts[0] if len(texts) == 1 else list(texts)
    if action.progress:
        data["progress"] = [_note_data(note) for note in action.progress]
    return data


def action_flow(action: Action) -> str:
    """The action as one flow mapping on one line (`{id: "1.4", title: ..., status: red}`),
    for an area file that writes its actions in flow style."""
    return yaml.dump(_action_data(action), Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     width=10**9, default_flow_style=True).strip()  # fmt: skip


def _note_data(note: Note) -> str | dict[Any, str]:
    """A note as written: text, or `DATE: text` when it is dated."""
    return {note.date: note.text} if note.date else note.text


def _outcome_data(outcome: Outcome) -> dict[str, Any]:
    data: dict[str, Any] = {"text": outcome.text}
    if outcome.evidence:
        data["evidence"] = list(outcome.evidence)
    return data


def _measure_data(measure: Measure) -> dict[str, Any]:
    data: dict[str, Any] = {"name": measure.name}
    for key in ("good", "target", "unit"):
        value = getattr(measure, key)
        if value is not None:
            data[key] = value
    if measure.readings:
        readings = []
        for reading in measure.readings:
            item: dict[str, Any] = {"period": reading.period, "value": reading.value}
            if reading.source is not None:
                item["source"] = reading.source
            readings.append(item)
        data["readings"] = readings
    return data


def area_yaml(area: Area) -> str:
    """The area as an area file in bragcli's format; it loads back to an equal Area."""
    data: dict[str, Any] = {"id": _Quoted(area.id), "title": area.title}
    if area.lead:
        data["lead"] = area.lead[0] if len(area.lead) == 1 else list(area.lead)
    for key in ("status", "impact"):
        rating = getattr(area, key)
        if rating is not None:
            data[key] = rating.value
    if area.actions:
        data["actions"] = [_action_data(a) for a in area.actions]
    if area.outcomes:
        data["outcomes"] = [_outcome_data(o) for o in area.outcomes]
    if area.measures:
        data["measures"] = [_measure_data(m) for m in area.measures]
    return f"{AREA_MODELINE}\n{_dump(data)}"


def plan_yaml(title: str, organisation: str) -> str:
    """A minimal plan.yaml: the title and the organisation."""
    return f"{PLAN_MODELINE}\n{_dump({'title': title, 'organisation': organisation})}"


def action_yaml(action: Action) -> str:
    """The action as one item of an area's list of actions ("- id: ..."), unindented."""
    lines = _dump({"actions": [_action_data(action)]}).splitlines()[1:]  # under "actions:"
    return "".join(f"{line[2:]}\n" for line in lines)


def full_plan_yaml(plan: Plan) -> str:
    """plan.yaml with every setting the plan has: it loads back to an equal Plan."""
    data: dict[str, Any] = {"title": plan.title, "organisation": plan.organisation}
    if plan.version is not None:
        data["version"] = _Quoted(plan.version)
    if plan.start is not None:
        data["start"] = plan.start
    if plan.quarters != "calendar":
        data["quarters"] = plan.quarters
    if plan.roles:
        data["roles"] = dict(plan.roles)
    if plan.brag_key:
        data["brag_key"] = {rating.value: text for rating, text in plan.brag_key.items()}
    checks: dict[str, Any] = {}
    if plan.checks.disable:
        checks["disable"] = list(plan.checks.disable)
    if plan.checks.enable:
        checks["enable"] = list(plan.checks.enable)
    if plan.checks.stale_days != DEFAULT_STALE_DAYS:
        checks["stale_days"] = plan.checks.stale_days
    if checks:
        data["checks"] = checks
    return f"{PLAN_MODELINE}\n{_dump(data)}"
