eval --no-stdlib -r ../eval/rules.kdr --date 2028-01-01 --format html ../eval/missing-role.yaml
