check --quiet eigen-regels.kdr
