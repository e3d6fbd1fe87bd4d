eval --no-stdlib -r rules.kdr --date 2028-01-01 --format html provider.yaml missing-role.yaml
