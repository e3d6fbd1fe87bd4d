explain --no-stdlib -r regels.kdr --date 2026-11-28 --full --requirement tweemaal feiten.yaml
