graph --no-stdlib --focus r-3 regels.kdr
