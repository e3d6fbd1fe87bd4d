check --no-stdlib value-not-allowed.kdr
