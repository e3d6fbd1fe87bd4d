check --no-stdlib bad-character.kdr
