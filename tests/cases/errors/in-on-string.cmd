check --no-stdlib in-on-string.kdr
