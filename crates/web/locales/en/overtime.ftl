### Overtime (English)

overtime-title = Overtime
overtime-done = The overtime order was recorded.
overtime-mine = My overtime
overtime-hours_month = hours this month
overtime-hours_year = hours this year
overtime-left_year = hours left (270 a year, 4857 Art. 41)
overtime-left_month = hours left (monthly limit, budget law)
overtime-left_budget = hours left (the directorate's monthly budget)
overtime-limits_help = Overtime is worked on the Director's order, outside office hours (m.10/14). A worker (İşçi) may do at most 270 hours a year (4857 Art. 41) and 11 hours' work a day including overtime (4857 Art. 63); a civil servant's monthly hours are set by the budget law (657 Art. 178).
overtime-none = No overtime this month.
overtime-none_month = No overtime ordered this month.
overtime-when = When
overtime-hours = Hours
overtime-reason = Reason
overtime-ordered_by = Ordered by
overtime-order = Order overtime
overtime-order_help = Only staff below you are listed. Times inside office hours or across midnight are refused.
overtime-person = Person
overtime-day = Day
overtime-from = From
overtime-until = Until
overtime-send = Order
overtime-month_orders = This month's overtime orders
nav-overtime = Overtime
field-person = Person
overtime-choose = — Choose —
