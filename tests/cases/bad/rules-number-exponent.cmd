check --no-stdlib --rules rules-number-exponent.kdr
