check --no-stdlib route-after-otherwise.kdr
