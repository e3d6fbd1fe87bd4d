check --no-stdlib impossible-date.kdr
