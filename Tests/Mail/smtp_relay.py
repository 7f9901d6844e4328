"""An SMTP relay as providers run them, for the tests of Accord's SMTP transport (a real client's
counterpart, never part of the product): aiosmtpd with STARTTLS or TLS from the first byte, sign-in
required (AUTH PLAIN and LOGIN, or LOGIN only) for one account, or plain SMTP without STARTTLS.

    smtp_relay.py PORT starttls|tls|plain CERT KEY USER PASSWORD OUT PLAIN+LOGIN|LOGIN

Each message received is written to OUT/N.eml, preceded by X-Signed-In (the account) and X-TLS
(whether the session was encrypted). Prints READY once it listens; runs until killed.
"""
import os
import signal
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

port, mode, cert, key, user, password, out, mechanisms = sys.argv[1:9]


class Handler:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        login = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else ''
        encrypted = server.transport.get_extra_info('ssl_object') is not None
        head = f'X-Signed-In: {login}\r\nX-TLS: {encrypted}\r\n'.encode()
        with open(os.path.join(out, f'{self.count}.eml'), 'wb') as f:
            f.write(head + envelope.original_content)
        return '250 OK stored'


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == user.encode() and auth_data.password == password.encode()
    return AuthResult(success=ok, handled=False, auth_data=auth_data)


context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(cert, key)
options = dict(authenticator=authenticator, auth_required=True, auth_require_tls=True)
if mechanisms == 'LOGIN':
    options['auth_exclude_mechanism'] = ['PLAIN']
if mode == 'starttls':
    controller = Controller(Handler(), hostname='127.0.0.1', port=int(port), tls_context=context, require_starttls=True, **options)
elif mode == 'tls':
    # aiosmtpd counts only STARTTLS as TLS for AUTH; this connection is TLS from its first byte.
    options['auth_require_tls'] = False
    controller = Controller(Handler(), hostname='127.0.0.1', port=int(port), ssl_context=context, **options)
else:
    controller = Controller(Handler(), hostname='127.0.0.1', port=int(port))
controller.start()
print('READY', flush=True)
while True:
    signal.pause()
