graph --no-stdlib --format json regels.kdr
