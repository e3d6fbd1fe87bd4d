fmt style.kdr
