check --no-stdlib rules-import-cycle.d/a.kdr
