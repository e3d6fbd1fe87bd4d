eval --no-stdlib -r rules.kdr --date 2026-11-28 provider.yaml
