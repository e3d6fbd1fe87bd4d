eval --no-stdlib -r ../eval/rules.kdr --date 2026-11-28 --batch --format md register
