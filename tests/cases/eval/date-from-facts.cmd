eval --no-stdlib -r rules.kdr --format json contradiction.yaml
