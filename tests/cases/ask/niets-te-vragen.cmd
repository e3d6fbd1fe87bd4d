ask --no-stdlib -r regels.kdr compleet.yaml < conclusie.txt
