eval --no-stdlib -r lib -r base --date 2026-01-01 lib
