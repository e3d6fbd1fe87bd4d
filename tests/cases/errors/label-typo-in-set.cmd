check --no-stdlib label-typo-in-set.kdr
