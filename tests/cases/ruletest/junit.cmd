test --no-stdlib -r regels.kdr --junit - falen.test.yaml feitenfout.test.yaml
