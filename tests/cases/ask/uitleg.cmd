ask --no-stdlib -r regels.kdr start.yaml < uitleg.txt
