"""The CLI's commands other than ``check``: each module adds its parser and runs it.

Heavy imports happen inside ``run`` so that ``boundary-lint --version`` stays fast."""
