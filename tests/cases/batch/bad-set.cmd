eval --no-stdlib -r ../eval/rules.kdr --date 2026-11-28 --batch -q register --set bijlage_iii_punt=20
