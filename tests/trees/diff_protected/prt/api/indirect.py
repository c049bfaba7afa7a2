# Only through the allowed repo: protected forbids direct imports only.
from prt.repo import users
