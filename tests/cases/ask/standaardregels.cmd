ask --date 2026-11-28 ../../../examples/onvolledig-feiten.yaml < standaard.txt > /dev/null
