### Document search
### (English)

search-title = Search documents
search-q = Words to find
search-placeholder = e.g. bilgi işlem müdürlüğü, "yazıcı arızası", yazı*
search-help = You may type without Turkish letters; inflected forms (müdürlüğünün) and the misreadings of scans (Miidiirliigii) are found too. Words in quotes are found in that order; a word ending in * finds the words it begins.
search-kind = Kind
search-kind-incoming = Incoming
search-kind-archive = Archive item
search-kind-outgoing = Outgoing letter
search-year = Year
search-from = From
search-to = To
search-submit = Search
search-found = documents found
search-none = No document you may see matches.
search-sort = Order
search-sort-relevance = by relevance
search-sort-date = by date
search-pages = Pages
