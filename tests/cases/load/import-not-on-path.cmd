check --no-stdlib -r base
