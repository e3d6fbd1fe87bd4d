eval --no-stdlib -r escape.kdr --date 2026-01-01 --format md escape.yaml
