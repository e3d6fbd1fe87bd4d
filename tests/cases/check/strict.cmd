check --no-stdlib --strict asks.kdr
