check --no-stdlib invalid-utf8.kdr
