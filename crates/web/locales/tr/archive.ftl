### Arşiv: dosyalar, imha, tarama aktarma, metin okuma
### (Türkçe)

files-state-open = Açık
files-state-closed = Kapalı
files-state-disposed = İmha edildi
files-disposal = İmha
files-commission = Ayıklama-imha komisyonu
files-recorded_by = Kaydeden
files-tombstones = İmha edilenler (kalıcı kayıt)
files-title = Arşiv dosyaları
files-open = Açık dosyalar
files-transfer = Yıllık devir listesi
files-expired = Saklama süresi dolanlar
files-none = Bu listede dosya yok.
files-name = Dosya
files-documents = Evrak
files-retention = Saklama (yıl / B)
files-disposal_code = İmha kodu
files-state_archives = Devlet Arşivine
files-close = Dosyayı kapat
files-new = Yeni dosya aç
files-open_submit = Aç
files-dispose = Seçilen dosyaları imha et (komisyon kararı)
files-decision_ref = Komisyon kararı sayısı
files-decision_date = Karar tarihi
files-members = Komisyon üyeleri (her satıra bir üye, en az üç)

import-title = Arşive tarama aktar
import-intro = Taranmış kâğıt belgeleri (PDF, TIFF, JPEG, PNG) Standart Dosya Planı koduyla arşive ekleyin. Aynı dosya ikinci kez eklenmez; metinleri arka planda okunur (OCR) ve aramada bulunur. Çok sayıda dosya için sunucuda: mudurluk import scans KLASÖR --sdp KOD --year YIL
import-files = Dosyalar
import-file = Dosya
import-outcome = Sonuç
import-submit = Aktar
import-imported = Arşive eklendi
import-existing = Zaten arşivde (aynı içerik)
import-empty_file = Boş dosya (0 bayt): eklenmedi
import-not_a_scan = Taranmış belge değil (PDF, TIFF, JPEG veya PNG olmalı): eklenmedi
import-too_large = Boyut sınırını aşıyor: eklenmedi
import-source = Kaynak dosya
import-open_file = Dosyayı aç

text-status = Metin (arama için)
text-pages = sayfa
text-queued = Sırada: metni okunacak
text-running = Okunuyor
text-done = Okundu, aramada bulunur
text-partial = Kısmen okundu
text-failed = Okunamadı
