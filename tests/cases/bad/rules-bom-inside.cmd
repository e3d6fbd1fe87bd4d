check --no-stdlib rules-bom-inside.kdr
