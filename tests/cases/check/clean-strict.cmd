check --no-stdlib --strict clean.kdr
