check --no-stdlib c-operators.kdr
