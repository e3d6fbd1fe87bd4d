check --no-stdlib rules-huge-number.kdr
