check --no-stdlib bestaat-niet.kdr
