check --no-stdlib rules-invalid-utf8.kdr
