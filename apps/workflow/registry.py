"""Every item kind's workflow, by its model's label ("opinions.Opinion"): a tracked model finds its table
here (`Tracked.workflow`), so models never import their workflow module; the app's ready() loads it."""

WORKFLOWS: dict = {}
