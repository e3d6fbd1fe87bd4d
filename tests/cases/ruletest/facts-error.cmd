test --no-stdlib -r regels.kdr feitenfout.test.yaml
