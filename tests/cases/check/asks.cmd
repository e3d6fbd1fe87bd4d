check --no-stdlib asks.kdr
