check --no-stdlib -r lib base/eisen.kdr lib/gedeeld.kdr lib/../lib/gedeeld.kdr
