check --no-stdlib single-equals.kdr
