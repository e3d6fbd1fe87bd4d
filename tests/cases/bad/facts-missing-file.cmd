eval --no-stdlib --rules regels.kdr --date 2026-08-02 bestaat-niet.yaml
