ask --no-stdlib -r regels.kdr start.yaml deels.yaml
