# Taiwan writes amounts with a comma every three digits (1,234,567), as government
# and ICP documents do; Django's zh_Hant leaves the separator empty.
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
