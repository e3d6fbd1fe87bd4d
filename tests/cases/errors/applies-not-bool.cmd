check --no-stdlib applies-not-bool.kdr
