check --no-stdlib branches.kdr
