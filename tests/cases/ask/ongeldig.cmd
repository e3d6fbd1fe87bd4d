ask --no-stdlib -r regels.kdr start.yaml < ongeldig.txt
