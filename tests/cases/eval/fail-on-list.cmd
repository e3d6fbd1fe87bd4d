eval --no-stdlib -r rules.kdr --date 2028-01-01 --fail-on undetermined,applies --fail-on undetermined --format json provider.yaml missing-role.yaml >/dev/null
