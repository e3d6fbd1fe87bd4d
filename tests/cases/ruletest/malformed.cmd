test --no-stdlib -r regels.kdr fouten.test.yaml
