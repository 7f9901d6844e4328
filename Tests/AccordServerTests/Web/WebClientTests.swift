import Testing

/// The test browser forgets a cookie when its attributes say so, never because of its value (a
/// form token holding "1970" was once dropped, and a sign-in test failed one run in a thousand).
@Suite struct WebClientCookieTests {
    @Test func aCookieIsForgottenByItsAttributesOnly() {
        #expect(!WebClient.forgets("accord_form=8a1970ff; Max-Age=3600; Path=/; HttpOnly; SameSite=Strict"))
        #expect(!WebClient.forgets("accord_form=ab; Max-Age=0123; Path=/"))
        #expect(WebClient.forgets("accord_session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/"))
        #expect(WebClient.forgets("accord_session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/"))
    }
}
