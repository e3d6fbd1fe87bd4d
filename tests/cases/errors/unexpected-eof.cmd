check --no-stdlib unexpected-eof.kdr
