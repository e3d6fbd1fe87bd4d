check --no-stdlib duplicate-clause.kdr
