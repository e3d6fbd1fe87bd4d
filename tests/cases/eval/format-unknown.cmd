eval --no-stdlib -r rules.kdr --date 2028-01-01 --format pdf provider.yaml
