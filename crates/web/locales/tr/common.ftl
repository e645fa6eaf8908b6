### Ortak: uygulama, menü, ana sayfa
### (Türkçe)

app-name = Mudurluk
app-tagline = Belediye müdürlükleri için yönetim sistemi

nav-skip = Ana içeriğe geç
nav-home = Ana sayfa
nav-login = Giriş
nav-main = Ana menü

lang-switch = English
lang-switch_label = Dili değiştir

home-title = Ana sayfa
home-intro = Mudurluk, bir belediye müdürlüğünün yönetmeliğinde yazan görev ve süreçleri yürütür: resmî yazışma (kayıt, havale, zimmet, yasal sürede cevap, paraf, imza, sayı, gönderim ve Standart Dosya Planına göre arşiv), kâğıt arşivin sayısallaştırılması ve aranması, görevler, bilgi işlem yardım masası, taşınırlar ve zimmet, personel kayıtları, bilgi güvenliği ve KVKK, raporlar. Her işlem, hangi yetkiyle ve hangi maddeye dayanarak yapıldığıyla kayda geçer.
home-welcome = Hoş geldiniz
home-status = Sistem durumu
home-institution = Kurum
home-directorate = Birim
home-setup_needed = Kurulum bekleniyor: ilk yönetici hesabı henüz oluşturulmadı. Sunucuyu başlatan kişi, sunucunun ekrana yazdığı tek kullanımlık kurulum bağlantısını açmalıdır.
home-capabilities = Kapsam

cap-correspondence = Gelen ve giden evrak, havale ve zimmet, yasal süreler
cap-archive = Standart Dosya Planına göre arşiv ve sayısallaştırma
cap-desk = Bilgi işlem yardım masası ve görevler
cap-inventory = Taşınırlar, ambar ve zimmet
cap-people = Personel, yetki devri ve vekalet
cap-security = Bilgi güvenliği, KVKK ve iz kayıtları

nav-logout = Çıkış
nav-account = Hesabım: parola ve oturumlar
nav-org = Teşkilat
nav-people = Personel
nav-mine = Yetkilerim
nav-authority = Yetki devri ve vekalet
nav-audit = İz kayıtları
nav-accounts = Hesaplar
nav-tokens = API belirteçleri
nav-tray = Evrak
nav-search = Ara
nav-letters = Yazılar
nav-archive = Arşiv
nav-calendar = Takvim

form-errors = Formda düzeltilmesi gereken alanlar var.
