check --no-stdlib unterminated-string.kdr
