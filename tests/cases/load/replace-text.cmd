eval --no-stdlib -r lib -r base -r override --date 2026-01-01 --set uitzondering=false feiten.yaml
