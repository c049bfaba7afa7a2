"""One module per contract type; each turns the import graph into findings.

(Named ``rules`` so as not to be confused with the repository's ``contracts/`` files.)
"""
