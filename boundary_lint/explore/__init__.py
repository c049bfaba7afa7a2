"""What ``boundary-lint explore`` shows: the project's modules, their imports with lines, and the
report's violations, as plain data for the page (``formatters.explore_html``)."""
