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
totp-title = Two-factor sign-in
totp-intro = Besides your password, sign-in asks for the 6-digit code that the authenticator app on your phone (Google Authenticator, Microsoft Authenticator, FreeOTP and the like) shows, changing every 30 seconds. Even a stolen password does not open your account.
totp-state_on = On
totp-state_off = Off
totp-state_required = Required for this account
totp-recovery_left = Recovery codes left
totp-begin = Turn on two-factor sign-in
totp-enrol_title = Set up your app
totp-enrol_help = Scan this QR code with an authenticator app, or type the secret key by hand; then enter the 6-digit code the app shows.
totp-enrol_login_help = Once the app holds the key, sign in with your username, your password and the code the app shows.
totp-secret = Secret key
totp-code = Verification code
totp-code_help = With two-factor sign-in on, the 6-digit code from your app; without your phone, one of your recovery codes.
totp-confirm = Verify the code and turn on
totp-codes_title = Your recovery codes
totp-codes_help = Each works once, if you cannot reach your phone. Print them or note them somewhere safe now: they are not shown again.
totp-continue = Continue
totp-done_on = Two-factor sign-in is on.
totp-done_off = Two-factor sign-in is off.
totp-disable_title = Turn off two-factor sign-in
totp-disable = Turn off
nav-totp = Two-factor sign-in
sessions-open_title = Your open sessions
sessions-opened = Opened
sessions-where = Browser and address
sessions-until = Valid until
sessions-end = End
sessions-this_one = This session
sessions-program = A program (API)
sessions-ended = The session has ended.
