### Gelen evrak: kayıt, havale, zimmet, kapatma, defterler, takvim
### (Türkçe)

basis-bilgi_edinme = 4982 Bilgi edinme: 15 iş günü
basis-days30 = Genel: 30 gün
basis-dilekce = 3071 Dilekçe: 30 gün
basis-kvkk = KVKK m.13 başvurusu: 30 gün
basis-workdays10 = 10 iş günü

close-answer_ref = Cevap yazısının tarih ve sayısı
close-answered = Cevaplandı
close-filed = İşlem tamam, dosyalandı
close-how = Kapatma şekli
close-submit = Evrakı kapat
close-title = Kapat

deliver-help = Evrakı teslim aldığınızda zimmetinize geçer; teslim alma zamanı kayda geçer.
deliver-submit = Teslim al (zimmet)

doc-attachments = Ekler
doc-closed = Evrak kapatıldı.
doc-closing = Kapanış
doc-confidentiality = Gizlilik derecesi
doc-delivered = Evrak teslim alındı; zimmetinizde.
doc-due = Cevap süresi
doc-not_routed = Henüz havale edilmedi: Müdürün havalesini bekliyor.
doc-number = Kayıt no
doc-registered = Kaydeden
doc-registered_ok = Evrak kaydedildi ve numaralandı; Müdürün havale kutusunda.
doc-restricted = kısıtlı
doc-restricted_note = Gizli ya da kişisel veri içeren evrak: yalnızca havale edilenler, Müdür (veya vekili) ve kaydeden görebilir; görüntülemeniz iz kaydına yazıldı.
doc-routed = Havale edildi.
doc-routings = Havaleler
doc-sender = Gönderen
doc-state = Durum
doc-state-closed = Kapandı
doc-state-registered = Kaydedildi, havale bekliyor
doc-state-routed = Havale edildi
doc-subject = Konu
doc-urgency = İvedilik

due-title = Süresi geçen ve yaklaşan evrak

doc-file = Dosyası
doc-filed = Evrak dosyalandı.
doc-file_help = İşi biten evrakı, Müdürlüğün bu yılki aynı dosya planı kodlu dosyasına kaldırın (m.22); dosya yoksa açılır.
doc-file_submit = Dosyala

register-outgoing = Giden evrak defteri
register-courier = Zimmet listesi (elden teslim)
register-book = Kayıt defteri
register-channel = Geliş yolu
register-company = Şirket (VKN)
register-delivered_by = Teslim eden
register-file_code = Standart Dosya Planı kodu
register-file_code_help = Örnek: 010.06 (Genelgeler). Grup başlıkları kabul edilmez; 020 ve 030.xx yalnızca ikincil koddur.
register-incoming = Gelen evrak
register-institution = Kurum (DETSİS)
register-legal_basis = Yasal cevap süresi
register-person = Kişi (T.C. kimlik no)
register-personal_data = Kişisel veri içeriyor (KVKK)
register-petition = Dilekçe
register-receipt = Alındı bilgisi (elden teslimde)
register-received_by = Teslim alan
register-received_on = Geliş tarihi
register-scan = Taranmış asıl ve ekler
register-scan_help = PDF, PNG, JPEG, TIFF, DOCX, ODT veya metin. Dosyanın türü içeriğinden anlaşılır.
register-secondary_code = İkincil kod (isteğe bağlı)
register-sender_date = Gönderenin tarihi
register-sender_id = DETSİS / T.C. kimlik no / VKN
register-sender_id_help = Kurum için 8 haneli DETSİS, kişi için 11 haneli T.C. kimlik no, şirket için 10 haneli VKN.
register-sender_kind = Gönderen türü
register-sender_name = Gönderen adı
register-sender_ref = Gönderenin sayısı
register-submit = Kaydet ve numara al
register-title = Yeni evrak kaydı
register-urgent_date = Günlü ise tarih

route-action = Gereği için
route-at = Havale zamanı
route-by = Havale eden
route-delivered = Teslim alındı
route-info = Bilgi için
route-info_to = Ayrıca bilgi için
route-internal_due = İç süre
route-note = Açıklama
route-purpose = Havale amacı
route-submit = Havale et
route-title = Havale

tray-awaiting = Bekleyen işlem
tray-awaiting-act = Gereği yapılacak
tray-awaiting-deliver = Teslim alınacak
tray-awaiting-info = Bilgi
tray-awaiting-route = Havale edilecek
tray-delivery_late = teslim alınmadı
tray-due_soon = süre yaklaşıyor
tray-empty = Bekleyen evrak yok.
tray-overdue = süresi geçti
tray-recipient = Alıcı
tray-title = Bekleyen evrak

book-title = Kayıt defterleri
book-intro = Gelen evrak ve dilekçe defterini seçtiğiniz tarih aralığı için PDF ya da CSV olarak alın. Görme yetkiniz olmayan gizli evrakın göndereni ve konusu defterde gösterilmez.
book-format = Biçim
book-submit = Defteri al

doc-receipt = Alındı belgesi (PDF)

due-unit = Birim
due-person = Kişi
due-all = Tümü

calendar-title = Çalışma takvimi
calendar-intro = Yasal cevap süreleri bu takvime göre hesaplanır: hafta sonları, resmî tatiller ve idari izin günleri sayılmaz; arife yarım günü iş günü sayılır. Bir değişiklik, bundan sonra hesaplanan sürelere uygulanır.
calendar-done = Takvim güncellendi.
calendar-date = Tarih
calendar-kind = Tür
calendar-name = Açıklama
calendar-holiday = Resmî tatil
calendar-half_day = Yarım gün (arife)
calendar-admin_leave = İdari izin
calendar-working = İş günü
calendar-edited = Yönetici ekledi
calendar-shipped = Resmî takvim
calendar-remove = Kaldır
calendar-add = Gün ekle veya düzelt
calendar-save = Kaydet
doc-no_legal_due = Kanunla belirlenmiş bir cevap süresi yok
doc-target = İç hedef tarih
doc-target_note = yasal süre değildir
register-legal_basis_help = Süreyi yalnızca bir kanun belirler; boş bırakılırsa dilekçe 3071'e, günlü evrak kendi tarihine, başka kurumun talebi Resmî Yazışma Yönetmeliği m.33'e göre hesaplanır, diğerlerine yasal süre verilmez.
basis-auto = Kendiliğinden (kanuna göre)
basis-none = Yasal süre yok
basis-kurum_belge = Kurum talebi, belge: 5 iş günü (m.33)
basis-kurum_bilgi = Kurum talebi, bilgi: 15 iş günü (m.33)
basis-kurum_gorus = Kurum talebi, görüş: 15 iş günü (m.33)
register-target_date = İç hedef tarih

tray-tab-all = Tümü
tray-due-legal = Yasal süre
tray-due-internal = Havale süresi (iç)
tray-due-target = Hedef tarih (iç)
tray-keys = Kısayollar: / arama, j ve k satırlar arasında gezinir, Enter açar.

code-channel-eyazisma = e-Yazışma / EBYS
code-channel-kep = KEP
code-channel-hand = Elden (imza karşılığı)
code-channel-post = Posta
code-channel-email = E-posta
code-channel-fax = Faks
code-confidentiality-yok = Yok (tasnif dışı)
code-confidentiality-hzo = Hizmete Özel
code-confidentiality-ozl = Özel (2022'de kaldırıldı)
code-confidentiality-gzl = Gizli
code-confidentiality-cgz = Çok Gizli
code-urgency-nrm = Normal
code-urgency-acl = Acele
code-urgency-gnl = Günlü
code-purpose-action = Gereği için
code-purpose-info = Bilgi için
code-register-incoming = Gelen evrak
code-register-petition = Dilekçe

doc-preview = Önizleme
route-sections = Şeflikler
route-people = Müdürlük personeli
tray-bulk-route_to = Seçilenleri havale et:
tray-bulk-route = Seçilenleri havale et
tray-bulk-deliver = Seçilenleri teslim al (zimmet)
tray-bulk-pick = Seç
tray-bulk-result = { $done } evrak için işlem yapıldı; { $refused } evrak reddedildi (yetki ya da durum uygun değil).
close-note_help = Ne yapıldığını kısaca yazın; örneğin "İşlem tamam, dosyalandı."
legal-petition = 3071 sayılı Dilekçe Kanunu m.7: 30 gün
legal-information = 4982 sayılı Bilgi Edinme Kanunu m.11: 15 iş günü
legal-information_extended = 4982 m.11/1: süre uzatımı, 30 iş günü
legal-kvkk = 6698 sayılı KVKK m.13: 30 gün
legal-inter_agency = Resmî Yazışma Yönetmeliği m.33: { $kind }, { $days } iş günü
legal-request-belge = belge talebi
legal-request-bilgi = bilgi talebi
legal-request-gorus = görüş talebi
legal-days = { $n } gün
legal-workdays = { $n } iş günü
legal-fixed = günlü: { $date }
due-full = En acil 100 evrak gösteriliyor; daha fazlası var. Birime ya da kişiye göre süzün, ya da bekleyen evrak listesinde sayfalayın.
