test --no-stdlib -r regels.kdr leeg
