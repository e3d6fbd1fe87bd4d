eval --no-stdlib --rules regels.kdr --date 2026-08-02 --format json facts-crlf.yaml
