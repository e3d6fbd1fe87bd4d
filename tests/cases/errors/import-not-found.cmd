check --no-stdlib import-not-found.kdr
