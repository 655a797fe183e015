# (filled in by its area; see Makefile.am)
