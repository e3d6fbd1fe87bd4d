check --no-stdlib rules-import-directory.d/regels.kdr
