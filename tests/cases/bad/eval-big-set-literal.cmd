eval --no-stdlib --rules eval-big-set-literal.kdr --date 2026-08-02 --format json eval-big-set-literal.yaml
