test ../../rules
