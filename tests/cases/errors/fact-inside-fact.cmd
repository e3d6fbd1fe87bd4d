check --no-stdlib fact-inside-fact.kdr
