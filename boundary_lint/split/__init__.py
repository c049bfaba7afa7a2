"""The split tools: what a package split needs beyond the check. ``fix`` rewrites references to
moved modules, ``closure`` (and ``requirements``) lists what a package needs to be deployed,
``runtime`` imports a module in a subprocess and reports the forbidden modules it loads."""
