"""The import graph: grimp's graph plus what we need around it (files, lines, problems, cache)."""

from boundary_lint.graph.builder import FileProblem, ProjectGraph, build_project_graph
from boundary_lint.graph.packages import PackageNotFound

__all__ = ["FileProblem", "PackageNotFound", "ProjectGraph", "build_project_graph"]
