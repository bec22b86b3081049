"""The rules of `brag check`: one module per warning rule, declared with every load-time error
code in `registry`, and run over a loaded plan by `run`.

Each rule module (yamllint's rules are the model) holds CODE, LEVEL, SCOPE, SUMMARY, FIX,
ENABLED, PLAN_SETTINGS (`base.RuleIdentity`) and one or both of:

- `check(ctx, action, window)`, which yields ``(key, message)`` pairs: the key says which of
  the action's values the warning points at ("" for the action); listed in `registry.RULES`,
  with READS_HISTORY (`base.RuleModule`): True for a rule that reads git history; and
  STATUSES: the ratings of the actions it can find at fault (it is asked about no others);
- `check_areas(ctx, areas)`, which yields ``(area index, where, message)``: `where` is the path
  of keys and indexes in the area file (``("measures", 2, "readings")``); listed in
  `registry.AREA_RULES`, with READS_HISTORY too (`base.AreaRuleModule`).

The rules that read no git history and judge one area at a time (every `check`, and every
`check_areas` whose SCOPE is not the plan's) are run on each area file as it is read
(`run.WhileLoading`); the others once the whole plan has loaded.

To add a rule: write its module, list it in the registry, and run
`python tests/test_readme.py --update` for the table in docs/rules.md.
"""
