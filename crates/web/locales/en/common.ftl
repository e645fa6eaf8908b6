### Common: application, menu, home page
### (English)

app-name = Mudurluk
app-tagline = Operations platform for municipal directorates

nav-skip = Skip to main content
nav-home = Home
nav-login = Sign in
nav-main = Main menu

lang-switch = Türkçe
lang-switch_label = Change language

home-title = Home
home-intro = Mudurluk runs the duties and procedures that a municipal directorate's regulation sets out: official correspondence (registration, routing, custody, answers within the legal period, initials, signature, numbering, dispatch and filing under the Standard File Plan), digitisation and search of the paper archive, tasks, the IT service desk, movable assets and custody, personnel records, information security and KVKK, and reports. Every action is recorded with the authority and the article it rests on.
home-welcome = Welcome
home-status = System status
home-institution = Institution
home-directorate = Unit
home-setup_needed = Setup pending: the first administrator account has not been created yet. Whoever started the server should open the one-time setup link it printed.
home-capabilities = What it covers

cap-correspondence = Incoming and outgoing correspondence, routing and custody, legal periods
cap-archive = Archive under the Standard File Plan, and digitisation
cap-desk = IT service desk and tasks
cap-inventory = Movable assets, warehouse and custody
cap-people = Personnel, delegation and deputyship
cap-security = Information security, KVKK and audit trails

nav-logout = Sign out
nav-account = My account: password and sessions
nav-org = Organisation
nav-people = People
nav-mine = My authorities
nav-authority = Delegation and deputyship
nav-audit = Audit trail
nav-accounts = Accounts
nav-tokens = API tokens
nav-tray = Correspondence
nav-search = Search
nav-letters = Letters
nav-archive = Archive
nav-calendar = Calendar

form-errors = Some fields of the form need correcting.
