"""A package whose api and guest halves must never reach db or cache."""
