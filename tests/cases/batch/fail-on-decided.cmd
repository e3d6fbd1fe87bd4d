eval --no-stdlib -r ../eval/rules.kdr --date 2026-11-28 --batch -q --fail-on undetermined register/01-aanbieder.yaml register/sub/04-gebruiker.yml
