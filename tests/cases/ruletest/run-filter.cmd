test --no-stdlib -r regels.kdr --run punt regels.test.yaml
