ask --no-stdlib -r regels.kdr start.yaml < conclusie.txt
