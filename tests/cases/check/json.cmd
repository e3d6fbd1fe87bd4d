check --no-stdlib --format json unused.kdr
