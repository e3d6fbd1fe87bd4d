check --no-stdlib rules-crlf.kdr
