check --no-stdlib default-wrong-type.kdr
