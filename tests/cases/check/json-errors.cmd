check --no-stdlib --format json broken.kdr
