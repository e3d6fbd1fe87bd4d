check --no-stdlib constant.kdr
