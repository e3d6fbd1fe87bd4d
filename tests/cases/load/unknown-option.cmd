eval --no-stdlib -r lib -r base --frobnicate feiten.yaml
