fmt broken.kdr
