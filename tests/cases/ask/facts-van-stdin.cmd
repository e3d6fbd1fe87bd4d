ask --no-stdlib -r regels.kdr -
