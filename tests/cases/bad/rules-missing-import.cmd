check --no-stdlib rules-missing-import.kdr
