graph --no-stdlib --focus r-1 --format json regels.kdr
