eval --no-stdlib -r lib -r base -r override --date 2026-01-01 --batch --quiet feiten.yaml
