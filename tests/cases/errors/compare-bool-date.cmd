check --no-stdlib compare-bool-date.kdr
