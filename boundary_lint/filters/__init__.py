"""Report-to-report filters, applied by the front ends after the check: a baseline of known
violations, the path arguments, and ``--new-since`` (only what a change introduced)."""
