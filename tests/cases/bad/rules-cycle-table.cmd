check --no-stdlib rules-cycle-table.kdr
