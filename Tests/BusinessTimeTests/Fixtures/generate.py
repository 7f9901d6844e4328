"""Regenerates the holiday fixtures from the open `holidays` data set (python-holidays).

    pip install holidays==0.109 && python3 generate.py

Default categories (public holidays), English names, years 2000-2040. The test
`HolidayDataSetAgreementTests` compares Accord's built-in rule sets with these files
day for day.
"""
import holidays

COUNTRIES = ["NO", "IS", "DK", "SE", "FI", "EE", "LV", "US"]

for code in COUNTRIES:
    data = holidays.country_holidays(code, years=range(2000, 2041), language="en_US")
    with open(f"holidays-{code}.tsv", "w", encoding="utf-8") as out:
        out.write(f"# python-holidays {holidays.__version__}, {code}, default categories, 2000-2040\n")
        for day, name in sorted(data.items()):
            out.write(f"{day.isoformat()}\t{name}\n")
