graph --no-stdlib --format svg regels.kdr
