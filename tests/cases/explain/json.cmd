explain --no-stdlib -r regels.kdr --date 2026-11-28 --requirement gebruiker --format json feiten.yaml
