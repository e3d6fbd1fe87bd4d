eval --no-stdlib --rules regels.kdr --format json facts-impossible-datum.yaml
