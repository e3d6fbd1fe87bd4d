check --no-stdlib rules-truncated.kdr
