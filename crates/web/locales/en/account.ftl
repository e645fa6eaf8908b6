### Sign-in, first-time setup, password and sessions
### (English)

login-title = Sign in
login-submit = Sign in
login-signed_out = You have signed out.

password-title = Password and sessions
password-current = Current password
password-new = New password
password-submit = Change password
password-done = Your password has been changed; sessions on other devices have been ended.

sessions-title = End all sessions
sessions-help = Every session of this account, this device's included, is ended.
sessions-end_all = Sign out everywhere

setup-title = First-time setup
setup-intro = This link works once. Create the first administrator account; it will define the other users and their authorities.
setup-username = Username
setup-username_help = 3–32 characters: lowercase letters (a–z), digits, dot, underscore or hyphen; starts with a letter. Example: ayse.yilmaz
setup-display_name = Full name
setup-password = Password
setup-password_help = At least 12 characters.
setup-password_confirm = Password (again)
setup-submit = Create the administrator account
setup-done = Setup is complete. You are signed in as the administrator.
setup-invalid_link = This setup link is invalid or has already been used. If setup is not complete, restart the server: it will print a new link.
setup-institution = Institution
setup-institution_name = The institution's name (as DETSİS writes it)
setup-institution_name_help = Example: Küçükçekmece Belediye Başkanlığı. It heads every letter, in capitals.
setup-detsis = DETSİS number
setup-detsis_help = The institution's 8-digit DETSİS number; it is part of every outgoing number (E-DETSİS-SDP-sequence).
setup-administrator = The first administrator
