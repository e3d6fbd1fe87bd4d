explain --no-stdlib -r regels.kdr --date 2026-11-28 --requirement voorrang --requirement urn:uitleg:tekst --requirement datum --requirement altijd feiten.yaml
