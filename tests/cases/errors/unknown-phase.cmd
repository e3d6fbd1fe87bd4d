check --no-stdlib unknown-phase.kdr
