check --no-stdlib rules-control-character.kdr
