fmt nope.kdr
