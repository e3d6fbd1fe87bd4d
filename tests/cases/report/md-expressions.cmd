eval --no-stdlib -r expressions.kdr --date 2027-01-01 --format md expressions.yaml
