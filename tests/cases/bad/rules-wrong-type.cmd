check --no-stdlib rules-wrong-type.kdr
