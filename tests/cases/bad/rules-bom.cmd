check --no-stdlib rules-bom.kdr
