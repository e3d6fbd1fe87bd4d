ask --help > /dev/null; yes onzin | head -n 1500 | "$kader" ask --no-stdlib -r regels.kdr start.yaml 2>&1 > /dev/null | tail -n 4
