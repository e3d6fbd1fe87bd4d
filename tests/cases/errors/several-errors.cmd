check --no-stdlib several-errors.kdr
