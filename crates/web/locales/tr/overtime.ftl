### Fazla mesai (Türkçe)

overtime-title = Fazla mesai
overtime-done = Fazla mesai onayı kaydedildi.
overtime-mine = Fazla mesaim
overtime-hours_month = saat bu ay
overtime-hours_year = saat bu yıl
overtime-left_year = saat kaldı (yılda 270, 4857 m.41)
overtime-left_month = saat kaldı (aylık sınır, bütçe kanunu)
overtime-left_budget = saat kaldı (müdürlüğün aylık bütçesi)
overtime-limits_help = Fazla mesai, Müdürün onayıyla ve mesai saatleri dışında yapılır (m.10/14). İşçi için yılda en çok 270 saat (4857 m.41) ve fazla mesaiyle birlikte günde en çok 11 saat çalışma (4857 m.63); memur için aylık saat sınırı bütçe kanununca belirlenir (657 m.178).
overtime-none = Bu ay fazla mesainiz yok.
overtime-none_month = Bu ay fazla mesai onayı yok.
overtime-when = Zaman
overtime-hours = Saat
overtime-reason = Gerekçe
overtime-ordered_by = Onaylayan
overtime-order = Fazla mesai onayı ver
overtime-order_help = Yalnızca size bağlı personel listelenir. Mesai saatleri içindeki ve gece yarısını aşan süreler kabul edilmez.
overtime-person = Personel
overtime-day = Gün
overtime-from = Başlangıç saati
overtime-until = Bitiş saati
overtime-send = Onayla
overtime-month_orders = Bu ayın fazla mesai onayları
nav-overtime = Fazla mesai
field-person = Personel
overtime-choose = — Personel seçin —
