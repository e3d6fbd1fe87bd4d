eval --no-stdlib -r ../eval/rules.kdr --format md ../eval/contradiction.yaml
