check --no-stdlib missing-title.kdr
