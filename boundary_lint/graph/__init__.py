"""The import graph: grimp's graph plus what we need around it (files, lines, problems, cache).

Nothing is imported here: ``discovery`` (finding files) must stay importable without grimp.
"""
