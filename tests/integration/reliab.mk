# reliability scenarios (filled in by its area)
