### Belge arama
### (Türkçe)

search-title = Belge ara
search-q = Aranacak sözcükler
search-placeholder = ör. bilgi işlem müdürlüğü, "yazıcı arızası", yazı*
search-help = Türkçe harfler olmadan da yazabilirsiniz; ekli biçimler (müdürlüğünün) ve taramalardaki okuma hataları (Miidiirliigii) da bulunur. Tırnak içindeki sözcükler bu sırayla aranır; sonuna * konan sözcük ile başlayanlar bulunur.
search-kind = Tür
search-kind-incoming = Gelen evrak
search-kind-archive = Arşiv belgesi
search-kind-outgoing = Giden evrak
search-year = Yıl
search-from = Başlangıç tarihi
search-to = Bitiş tarihi
search-submit = Ara
search-found = belge bulundu
search-none = Aramanıza uyan, görme yetkiniz olan bir belge yok.
search-sort = Sıralama
search-sort-relevance = ilgiye göre
search-sort-date = tarihe göre
search-pages = Sayfalar
