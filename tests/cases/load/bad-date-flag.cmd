eval --no-stdlib -r base --date 2026-13-01 feiten.yaml
