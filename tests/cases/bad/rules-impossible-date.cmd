check --no-stdlib rules-impossible-date.kdr
