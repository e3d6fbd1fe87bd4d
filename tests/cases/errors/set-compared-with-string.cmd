check --no-stdlib set-compared-with-string.kdr
