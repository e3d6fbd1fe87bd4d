check --no-stdlib empty-range.kdr
