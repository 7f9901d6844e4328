"""Schemathesis hooks for .ci/schemathesis: a serializer for the API's one media type schemathesis
does not know, `message/rfc822` (what a mail gateway posts to /api/v1/mail/inbound). The document
says the body is a binary string: the message's bytes, sent as they are."""
import schemathesis


@schemathesis.serializer("message/rfc822")
def rfc822(ctx, value):
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    return str(value).encode("utf-8", "replace")
