explain --no-stdlib -r zonder-conclusie.kdr --conclusion feiten.yaml
