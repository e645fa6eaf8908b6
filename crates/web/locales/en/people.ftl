### Organisation, people, delegation and deputyship, accounts, tokens, audit trail
### (English)

org-title = Organisation chart
org-intro = Drawn from the regulation profile: units, positions, today's holders, and the standing deputyships and delegations.
org-vacant = vacant
org-deputised_by = deputy
org-no_deputyships = No deputyship is standing.
org-no_delegations = No delegation is standing.

people-title = People
people-name = Name
people-position = Position
people-kind = Staff kind
people-phone_ext = Extension
people-email = E-mail
people-none = No staff records.
people-tckn = Turkish ID number
people-tckn_masked = masked
people-kvkk_note = This page holds personal data; your viewing has been written to the audit trail (KVKK).
people-appointments = Appointments
people-start = Start
people-end = End
people-ongoing = ongoing
people-back = Back to the staff list

mine-title = My authorities
mine-intro = What you may do today and why: by your position, by a delegation to you (art. 10/4) or by a deputyship (art. 12/2).
mine-none = You hold no authority today. If your position is missing, contact the administrator.
mine-basis = Basis

basis-position = Position
basis-delegation = Delegation
basis-deputyship = Deputyship

authority-title = Delegation and deputyship
authority-delegations = Delegations
authority-deputyships = Deputyships
authority-delegation_help = The Director may delegate authority to the staff of his sub-units and take it back (art. 10/4); the Mayor's signature of external letters goes to a Deputy Mayor only (art. 20/3). A revoked or expired delegation stops granting at once.
authority-deputyship_help = In the Director's absence, a Section Chief runs the directorate as deputy with the Mayor's approval (art. 12/2).
authority-new_delegation = New delegation
authority-new_deputyship = New deputyship
authority-authority = Authority
authority-article = Article
authority-by = Given by
authority-to = Given to
authority-deputy = Deputy
authority-for = Stands in for
authority-from = From
authority-until = Until
authority-approval_ref = Approval reference
authority-approval_ref_help = Date and number of the approving document.
authority-olur_help = Date and number of the Mayor's approval (olur).
authority-delegate = Delegate
authority-appoint_deputy = Record the deputyship
authority-state = State
authority-revoke = Revoke
authority-revoked = Revoked
authority-expired = Expired
authority-standing = Standing
authority-done-devir = The delegation has been recorded.
authority-done-vekalet = The deputyship has been recorded.
authority-done-geri-alindi = Revoked; it grants nothing from now on.

accounts-title = Create an account
accounts-done = The account has been created.
accounts-account = Account
accounts-initial_password = Initial password
accounts-is_admin = Administrator
accounts-staff = Staff record
accounts-staff_help = Without a position no staff record is made (for a service account, say).
accounts-create = Create the account

tokens-title = API tokens
tokens-intro = Personal tokens for scripts and other systems. A token acts with your authorities; only its hash is kept.
tokens-shown_once = Your token is below. It is shown only once; copy it now.
tokens-name = Name
tokens-create = Create a token
tokens-created = Created

audit-title = Audit trail
audit-intro = Every change is recorded, chained, with who did what, when and on which authority; reads of personal data are recorded too.
audit-actor = Person
audit-action = Action
audit-subject = Record
audit-at = When
audit-details = Details
audit-filter = Filter
audit-records = records

failed-title = Failed sign-ins
failed-intro = The latest failed sign-in attempts, newest first. Accounts are never locked; repeated tries from one address or at one account are slowed by growing waits.
failed-none = No failed sign-ins are recorded.
failed-by_address = By address
failed-address = Source address
failed-count = Attempts
failed-last = Last attempt
failed-recent = Latest attempts
failed-shown = Showing the latest { $n } attempts.
failed-tried = Username tried
failed-account = Account holder
failed-unknown = no such account
accounts-department = Unit (another directorate)
accounts-department_help = For an account without a post here that files requests: the directorate it belongs to. People of one unit see each other's requests; mail from the e-mail address below opens requests in its name.
