check --no-stdlib unused.kdr
