eval --no-stdlib -r ../eval/rules.kdr --date 2026-11-28 --batch -q --fail-on applies register/01-aanbieder.yaml register/03-buiten-bereik.yaml
