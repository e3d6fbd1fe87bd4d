check --no-stdlib table-without-otherwise.kdr
