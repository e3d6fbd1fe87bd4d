check --no-stdlib misspelt-keyword.kdr
