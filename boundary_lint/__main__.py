from boundary_lint.cli import run

run()
