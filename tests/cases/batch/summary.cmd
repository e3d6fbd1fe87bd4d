eval --no-stdlib -r ../eval/rules.kdr --date 2026-11-28 --batch register --jsonl systems.jsonl 2>&1 >/dev/null | sed -E 's/ in [0-9]+[.][0-9]+ s(, [0-9]+\/s)?/ in T s/'
