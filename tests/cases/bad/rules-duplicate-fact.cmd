check --no-stdlib rules-duplicate-fact.kdr
