check --no-stdlib --format yaml clean.kdr
