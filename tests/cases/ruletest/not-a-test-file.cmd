test --no-stdlib -r regels.kdr leeg.test.yaml geen-lijst.test.yaml kapot.test.yaml
