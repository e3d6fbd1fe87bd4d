test --no-stdlib -r regels.kdr falen.test.yaml
