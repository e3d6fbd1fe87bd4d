eval --no-stdlib -r rules.kdr --date 2028-01-01 --fail-on undetermined --set bijlage_iii_punt=null provider.yaml >/dev/null
