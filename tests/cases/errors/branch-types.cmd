check --no-stdlib branch-types.kdr
