check --no-stdlib missing-operator.kdr
