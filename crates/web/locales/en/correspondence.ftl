### Incoming correspondence: registration, routing, custody, closing, books, calendar
### (English)

basis-bilgi_edinme = 4982 information request: 15 working days
basis-days30 = General: 30 days
basis-dilekce = 3071 petition: 30 days
basis-kvkk = KVKK art. 13 application: 30 days
basis-workdays10 = 10 working days

close-answer_ref = Date and number of the answer
close-answered = Answered
close-filed = Done and filed
close-how = How it is closed
close-submit = Close the document
close-title = Close

deliver-help = Taking delivery puts the document in your custody; the time is recorded.
deliver-submit = Take delivery (custody)

doc-attachments = Attachments
doc-closed = The document has been closed.
doc-closing = Closing
doc-confidentiality = Confidentiality
doc-delivered = Delivery taken; the document is in your custody.
doc-due = Answer due
doc-not_routed = Not routed yet: awaiting the Director's routing.
doc-number = Number
doc-registered = Registered
doc-registered_ok = The document has been registered and numbered; it is in the Director's tray.
doc-restricted = restricted
doc-restricted_note = Classified or personal-data document: only its recipients, the Director (or deputy) and the registrar may see it; your viewing has been recorded.
doc-routed = Routed.
doc-routings = Routings
doc-sender = Sender
doc-state = State
doc-state-closed = Closed
doc-state-registered = Registered, awaiting routing
doc-state-routed = Routed
doc-subject = Subject
doc-urgency = Urgency

due-title = Overdue and due-soon documents

doc-file = Filed in
doc-filed = The document was filed.
doc-file_help = File the completed document into the directorate's file of its code and year (m.22); the file is opened if there is none.
doc-file_submit = File it

register-outgoing = Outgoing register
register-courier = Courier's list (by hand)
register-book = Register
register-channel = Channel
register-company = Company (tax number)
register-delivered_by = Delivered by
register-file_code = File plan code
register-file_code_help = Example: 010.06 (Circulars). Group headings are refused; 020 and 030.xx are secondary codes only.
register-incoming = Incoming
register-institution = Institution (DETSİS)
register-legal_basis = Legal answer period
register-person = Person (Turkish ID)
register-personal_data = Contains personal data (KVKK)
register-petition = Petition
register-receipt = Receipt (hand delivery)
register-received_by = Received by
register-received_on = Date of receipt
register-scan = Scanned original and attachments
register-scan_help = PDF, PNG, JPEG, TIFF, DOCX, ODT or text. The type is read from the content.
register-secondary_code = Secondary code (optional)
register-sender_date = Sender's date
register-sender_id = DETSİS / Turkish ID / tax number
register-sender_id_help = 8-digit DETSİS for an institution, 11-digit ID for a person, 10-digit VKN for a company.
register-sender_kind = Sender kind
register-sender_name = Sender name
register-sender_ref = Sender's number
register-submit = Register and number
register-title = Register a document
register-urgent_date = Date, if dated

route-action = For action
route-at = Routed at
route-by = Routed by
route-delivered = Delivery taken
route-info = For information
route-info_to = Also for information to
route-internal_due = Internal deadline
route-note = Note
route-purpose = Purpose
route-submit = Route
route-title = Route

tray-awaiting = Waiting for
tray-awaiting-act = Action
tray-awaiting-deliver = Take delivery
tray-awaiting-info = Information
tray-awaiting-route = To route
tray-delivery_late = not taken
tray-due_soon = due soon
tray-empty = Nothing is waiting.
tray-overdue = overdue
tray-recipient = Recipient
tray-title = My tray

book-title = Register books
book-intro = Get the incoming or petition register for a date range as PDF or CSV. The sender and subject of classified documents you may not see are left out.
book-format = Format
book-submit = Get the book

doc-receipt = Receipt (PDF)

due-unit = Unit
due-person = Person
due-all = All

calendar-title = Working calendar
calendar-intro = Legal deadlines are computed on this calendar: weekends, official holidays and administrative-leave days do not count; an arife half-day counts as a working day. A change applies to deadlines computed from then on.
calendar-done = The calendar has been updated.
calendar-date = Date
calendar-kind = Kind
calendar-name = Name
calendar-holiday = Official holiday
calendar-half_day = Half day (eve)
calendar-admin_leave = Administrative leave
calendar-working = Working day
calendar-edited = Added by an administrator
calendar-shipped = Official calendar
calendar-remove = Remove
calendar-add = Add or correct a day
calendar-save = Save
doc-no_legal_due = No answer period set by law
doc-target = Internal target date
doc-target_note = not a legal deadline
register-legal_basis_help = Only a law sets a period; left empty, a petition falls under 3071, a dated document is due on its date, a request of another administration under Resmî Yazışma Yönetmeliği m.33, and anything else gets no legal deadline.
basis-auto = Automatic (by the law)
basis-none = No legal period
basis-kurum_belge = Request of an administration, documents: 5 working days (m.33)
basis-kurum_bilgi = Request of an administration, information: 15 working days (m.33)
basis-kurum_gorus = Request of an administration, opinion: 15 working days (m.33)
register-target_date = Internal target date

tray-tab-all = All
tray-due-legal = Legal deadline
tray-due-internal = Routing date (internal)
tray-due-target = Target date (internal)
tray-keys = Keys: / search, j and k move between rows, Enter opens.

code-channel-eyazisma = e-Yazışma / EBYS
code-channel-kep = Registered e-mail (KEP)
code-channel-hand = By hand (against signature)
code-channel-post = Post
code-channel-email = E-mail
code-channel-fax = Fax
code-confidentiality-yok = None (unclassified)
code-confidentiality-hzo = Official use only
code-confidentiality-ozl = Private (retired in 2022)
code-confidentiality-gzl = Confidential
code-confidentiality-cgz = Secret
code-urgency-nrm = Normal
code-urgency-acl = Urgent
code-urgency-gnl = Dated
code-purpose-action = For action
code-purpose-info = For information
code-register-incoming = Incoming documents
code-register-petition = Petitions

doc-preview = Preview
route-sections = Sections
route-people = Directorate staff
tray-bulk-route_to = Route the ticked documents to:
tray-bulk-route = Route the ticked documents
tray-bulk-deliver = Take the ticked documents into custody
tray-bulk-pick = Tick
tray-bulk-result = Done for { $done } documents; { $refused } refused (no authority, or not in the right state).
close-note_help = Say briefly what was done, e.g. "Done, filed."
legal-petition = Petitions Law No. 3071 art. 7: 30 days
legal-information = Right to Information Law No. 4982 art. 11: 15 working days
legal-information_extended = Law No. 4982 art. 11/1: extended, 30 working days
legal-kvkk = Personal Data Protection Law No. 6698 art. 13: 30 days
legal-inter_agency = Official Correspondence Regulation art. 33: { $kind }, { $days } working days
legal-request-belge = request for documents
legal-request-bilgi = request for information
legal-request-gorus = request for an opinion
legal-days = { $n } days
legal-workdays = { $n } working days
legal-fixed = dated: { $date }
due-full = The 100 most urgent are shown; there are more. Filter by unit or person, or page through the tray.
