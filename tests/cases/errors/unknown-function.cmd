check --no-stdlib unknown-function.kdr
