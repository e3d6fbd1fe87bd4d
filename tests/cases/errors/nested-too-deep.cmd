check --no-stdlib nested-too-deep.kdr
