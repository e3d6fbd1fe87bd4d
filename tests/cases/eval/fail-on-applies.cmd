eval --no-stdlib -r rules.kdr --date 2028-01-01 --fail-on applies contradiction.yaml >/dev/null
