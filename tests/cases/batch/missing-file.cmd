eval --no-stdlib -r ../eval/rules.kdr --date 2026-11-28 --batch -q nowhere.yaml register/01-aanbieder.yaml
