### Teşkilat, personel, yetki devri ve vekalet, hesaplar, belirteçler, iz kayıtları
### (Türkçe)

org-title = Teşkilat şeması
org-intro = Yönetmelik profilinden çizilir: birimler, kadrolar, bugün görevde olanlar ile yürürlükteki vekalet ve yetki devirleri.
org-vacant = boş
org-deputised_by = vekili
org-no_deputyships = Yürürlükte vekalet yok.
org-no_delegations = Yürürlükte yetki devri yok.

people-title = Personel
people-name = Ad soyad
people-position = Kadro
people-kind = Personel türü
people-phone_ext = Dahili
people-email = E-posta
people-none = Personel kaydı yok.
people-tckn = T.C. kimlik no
people-tckn_masked = maskelendi
people-kvkk_note = Bu sayfa kişisel veri içerir; görüntülemeniz iz kayıtlarına yazıldı (KVKK).
people-appointments = Görevlendirmeler
people-start = Başlangıç
people-end = Bitiş
people-ongoing = devam ediyor
people-back = Personel listesine dön

mine-title = Yetkilerim
mine-intro = Bugün hangi işlemleri hangi dayanakla yapabileceğiniz: kadronuzdan, size yapılan yetki devrinden (m.10/4) ya da vekaletten (m.12/2).
mine-none = Bugün hiçbir yetkiniz yok. Kadro kaydınız eksikse sistem yöneticisine başvurun.
mine-basis = Dayanak

basis-position = Kadro
basis-delegation = Yetki devri
basis-deputyship = Vekalet

authority-title = Yetki devri ve vekalet
authority-delegations = Yetki devirleri
authority-deputyships = Vekaletler
authority-delegation_help = Müdür, alt birimlerindeki personele yetki devredebilir ve devrettiği yetkiyi geri alabilir (m.10/4); Başkanın dış yazışma imzası yalnızca Başkan Yardımcısına devredilir (m.20/3). Geri alınan ya da süresi biten devir o anda hükümsüz olur.
authority-deputyship_help = Müdürün yokluğunda, Başkanın oluru ile bir Şef vekaleten müdürlüğü yürütür (m.12/2).
authority-new_delegation = Yeni yetki devri
authority-new_deputyship = Yeni vekalet
authority-authority = Yetki
authority-article = Madde
authority-by = Devreden
authority-to = Devralan
authority-deputy = Vekil
authority-for = Asıl
authority-from = Başlangıç
authority-until = Bitiş
authority-approval_ref = Onay belgesi
authority-approval_ref_help = Devri onaylayan belgenin tarih ve sayısı.
authority-olur_help = Başkanlık olurunun tarih ve sayısı.
authority-delegate = Yetkiyi devret
authority-appoint_deputy = Vekaleti kaydet
authority-state = Durum
authority-revoke = Geri al
authority-revoked = Geri alındı
authority-expired = Süresi doldu
authority-standing = Yürürlükte
authority-done-devir = Yetki devri kaydedildi.
authority-done-vekalet = Vekalet kaydedildi.
authority-done-geri-alindi = Geri alındı; bu andan itibaren yetki vermez.

accounts-title = Hesap oluştur
accounts-done = Hesap oluşturuldu.
accounts-account = Hesap
accounts-initial_password = İlk parola
accounts-is_admin = Sistem yöneticisi
accounts-staff = Personel kaydı
accounts-staff_help = Kadro seçilmezse personel kaydı açılmaz (örneğin bir hizmet hesabı için).
accounts-create = Hesabı oluştur

tokens-title = API belirteçleri
tokens-intro = Betikler ve diğer sistemler için kişisel belirteçler. Belirteç sizin yetkilerinizle çalışır; yalnızca özeti saklanır.
tokens-shown_once = Belirteciniz aşağıda. Yalnızca bir kez gösterilir; şimdi kopyalayın.
tokens-name = Ad
tokens-create = Belirteç oluştur
tokens-created = Oluşturulma

audit-title = İz kayıtları
audit-intro = Her değişiklik, kimin neyi ne zaman hangi yetkiyle yaptığıyla zincirlenmiş olarak kaydedilir; kişisel veri görüntülemeleri de yazılır.
audit-actor = Kişi
audit-action = İşlem
audit-subject = Kayıt
audit-at = Zaman
audit-details = Ayrıntı
audit-filter = Süz
audit-records = kayıt

failed-title = Başarısız girişler
failed-intro = Son başarısız oturum açma denemeleri, en yenisi başta. Hesaplar kilitlenmez; aynı adresten ya da aynı hesaba art arda denemeler giderek uzayan bekleme süreleriyle yavaşlatılır.
failed-none = Kayıtlı başarısız giriş yok.
failed-by_address = Adrese göre
failed-address = Kaynak adres
failed-count = Deneme
failed-last = Son deneme
failed-recent = Son denemeler
failed-shown = Son { $n } deneme gösteriliyor.
failed-tried = Denenen kullanıcı adı
failed-account = Hesap sahibi
failed-unknown = böyle bir hesap yok
accounts-department = Birimi (başka bir müdürlük)
accounts-department_help = Müdürlükte kadrosu olmayan, talep açacak bir hesap için: bağlı olduğu müdürlük. Aynı birimdeki kişiler birbirinin taleplerini görür; aşağıdaki e-posta adresinden gelen e-postalar bu hesap adına talep açar.
