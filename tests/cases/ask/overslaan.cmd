ask --no-stdlib -r regels.kdr start.yaml < overslaan.txt
