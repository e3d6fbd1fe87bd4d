ask --no-stdlib -r regels.kdr fout.yaml < conclusie.txt
