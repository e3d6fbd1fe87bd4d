check --no-stdlib rules-deep-nesting.kdr
