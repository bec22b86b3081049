"""What each command does, apart from click: read the plan, compute, render, return an exit code.

One module per command family, each with its typed Options and a `run_*` function that
cli.py calls: check, views (status, actions), report, history (diff, trend), import_export;
`loading` is how a reporting command gets its plan. Renderers are imported inside the
functions, so that a command pays only for what it uses (`brag check` never imports jinja2 or
rich).
"""
