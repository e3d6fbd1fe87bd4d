check --no-stdlib rules-unterminated-string.kdr
