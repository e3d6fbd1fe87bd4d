check --no-stdlib let-cycle.kdr
