### Giriş, ilk kurulum, parola ve oturumlar
### (Türkçe)

login-title = Giriş
login-submit = Giriş yap
login-signed_out = Oturumunuz kapatıldı.

password-title = Parola ve oturumlar
password-current = Şu anki parola
password-new = Yeni parola
password-submit = Parolayı değiştir
password-done = Parolanız değiştirildi; diğer cihazlardaki oturumlar kapatıldı.

sessions-title = Bütün oturumları kapat
sessions-help = Bu hesapla açılmış bütün oturumlar, bu cihazdaki de dahil, kapatılır.
sessions-end_all = Her yerden çıkış yap

setup-title = İlk kurulum
setup-intro = Bu bağlantı tek kullanımlıktır. İlk yönetici hesabını oluşturun; bu hesap diğer kullanıcıları ve yetkileri tanımlayacaktır.
setup-username = Kullanıcı adı
setup-username_help = 3–32 karakter: küçük harf (a–z), rakam, nokta, alt çizgi veya tire; harfle başlar. Örnek: ayse.yilmaz
setup-display_name = Ad soyad
setup-password = Parola
setup-password_help = En az 12 karakter.
setup-password_confirm = Parola (tekrar)
setup-submit = Yönetici hesabını oluştur
setup-done = Kurulum tamamlandı. Yönetici olarak oturum açtınız.
setup-invalid_link = Bu kurulum bağlantısı geçersiz ya da daha önce kullanılmış. Kurulum tamamlanmadıysa sunucuyu yeniden başlatın; yeni bir bağlantı yazacaktır.
setup-institution = Kurum
setup-institution_name = Kurumun adı (DETSİS'teki gibi)
setup-institution_name_help = Örnek: Küçükçekmece Belediye Başkanlığı. Her yazının başlığında büyük harfle yazılır.
setup-detsis = DETSİS numarası
setup-detsis_help = Kurumun 8 haneli DETSİS numarası; her giden evrakın sayısında yer alır (E-DETSİS-SDP-sıra).
setup-administrator = İlk yönetici
totp-title = İki aşamalı giriş
totp-intro = Parolanın yanında, telefonunuzdaki kimlik doğrulama uygulamasının (Google Authenticator, Microsoft Authenticator, FreeOTP gibi) 30 saniyede bir değişen 6 haneli kodu da istenir. Parolanız ele geçse bile hesabınıza girilemez.
totp-state_on = Açık
totp-state_off = Kapalı
totp-state_required = Bu hesap için zorunlu
totp-recovery_left = Kalan kurtarma kodu
totp-begin = İki aşamalı girişi aç
totp-enrol_title = Uygulamanızı kurun
totp-enrol_help = Kimlik doğrulama uygulamasıyla bu karekodu okutun ya da gizli anahtarı elle yazın; sonra uygulamanın gösterdiği 6 haneli kodu girin.
totp-enrol_login_help = Kodu uygulamaya ekledikten sonra kullanıcı adınızı, parolanızı ve uygulamanın gösterdiği kodu yazıp giriş yapın.
totp-secret = Gizli anahtar
totp-code = Doğrulama kodu
totp-code_help = İki aşamalı giriş açıksa uygulamanızdaki 6 haneli kod; telefonunuz yanınızda değilse kurtarma kodlarınızdan biri.
totp-confirm = Kodu doğrula ve aç
totp-codes_title = Kurtarma kodlarınız
totp-codes_help = Telefonunuza erişemezseniz her biri bir kez kullanılabilir. Şimdi yazdırın ya da güvenli bir yere not edin: bir daha gösterilmez.
totp-continue = Devam
totp-done_on = İki aşamalı giriş açıldı.
totp-done_off = İki aşamalı giriş kapatıldı.
totp-disable_title = İki aşamalı girişi kapat
totp-disable = Kapat
nav-totp = İki aşamalı giriş
sessions-open_title = Açık oturumlarınız
sessions-opened = Açıldığı zaman
sessions-where = Tarayıcı ve adres
sessions-until = Geçerlilik sonu
sessions-end = Sonlandır
sessions-this_one = Bu oturum
sessions-program = Program (API)
sessions-ended = Oturum sonlandırıldı.
