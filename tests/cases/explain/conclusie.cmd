explain --no-stdlib -r regels.kdr --date 2026-11-28 --conclusion --set normen=true --set punt=5 feiten.yaml
