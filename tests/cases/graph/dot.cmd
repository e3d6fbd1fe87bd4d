graph --no-stdlib regels.kdr
