eval --no-stdlib -r ../eval/rules.kdr --date 2028-01-01 --format md ../eval/provider.yaml ../eval/missing-role.yaml
