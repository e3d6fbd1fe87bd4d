check --no-stdlib unknown-name.kdr
