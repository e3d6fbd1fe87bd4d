ask --no-stdlib -r regels.kdr start.yaml < datum.txt
