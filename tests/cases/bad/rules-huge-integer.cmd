check --no-stdlib rules-huge-integer.kdr
