eval --no-stdlib -r rules.kdr --date 2028-01-01 --fail-on applies provider.yaml nowhere.yaml >/dev/null
