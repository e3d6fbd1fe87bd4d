check --no-stdlib rules-binary.kdr
