check --no-stdlib unknown-procedure.kdr
