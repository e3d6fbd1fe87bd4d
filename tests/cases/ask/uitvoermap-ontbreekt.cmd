ask --no-stdlib -r regels.kdr -o bestaat-niet/antwoorden.yaml start.yaml
