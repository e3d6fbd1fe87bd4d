eval --no-stdlib --rules tree-antwoorden.kdr --date 2026-08-02 tree-unknown-answer.yaml
