check --no-stdlib fact-reserved.kdr
