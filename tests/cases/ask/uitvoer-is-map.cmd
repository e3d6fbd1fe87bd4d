ask --no-stdlib -r regels.kdr -o . start.yaml
