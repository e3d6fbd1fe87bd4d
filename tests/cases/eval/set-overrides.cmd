eval --no-stdlib -r rules.kdr --date 2028-01-01 --format json --set rol=aanbieder --set bijlage_iii_punt=1 --set normen_toegepast=true provider.yaml
