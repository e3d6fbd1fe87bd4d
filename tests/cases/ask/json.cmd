ask --no-stdlib -r regels.kdr --format json start.yaml < conclusie.txt 2> /dev/null
