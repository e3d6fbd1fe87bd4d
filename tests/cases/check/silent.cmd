check --no-stdlib silent.kdr
