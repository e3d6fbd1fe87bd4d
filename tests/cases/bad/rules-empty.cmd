check --no-stdlib rules-empty.kdr
