eval --no-stdlib -r lib -r base
