import ex.c
