test --no-stdlib -r regels.kdr -v regels.test.yaml
