check --no-stdlib duplicate-let.kdr
