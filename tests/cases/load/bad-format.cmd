eval --no-stdlib --format xml -r base feiten.yaml
