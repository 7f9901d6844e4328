import PropertyBased
import Testing
@testable import AccordCore
import BusinessTime

/// Bad questions get an error that names the value and the valid choices.
@Suite struct DeadlineQueryTests {
    static let opened = ISO8601.parse("2026-03-02T10:00:00+01:00")!

    static func error(_ policy: String, _ query: DeadlineQuery) throws -> QueryError? {
        let policy = try Presets.policy(policy)
        do {
            _ = try policy.answer(query)
            return nil
        } catch {
            return error
        }
    }

    @Test func unknownIdsNameTheChoices() throws {
        #expect(try Self.error("plex", DeadlineQuery(plan: "bronze", priority: "p1", opened: Self.opened))
                == .unknown(field: "plan", value: "bronze", choices: ["silver", "gold", "platinum"]))
        #expect(try Self.error("plex", DeadlineQuery(plan: "gold", priority: "p5", opened: Self.opened))
                == .unknown(field: "priority", value: "p5", choices: ["p1", "p2", "p3", "p4"]))
        #expect(try Self.error("plex", DeadlineQuery(plan: "gold", priority: "p1", metric: "uptime", opened: Self.opened))
                == .unknown(field: "metric", value: "uptime", choices: ["initial-response", "p1-updates"]))
        #expect(try Self.error("plm-group", DeadlineQuery(plan: "premium", priority: "high", region: "germany", opened: Self.opened))
                == .unknown(field: "region", value: "germany", choices: ["norway", "iceland", "denmark", "sweden", "finland", "estonia", "latvia"]))
    }

    @Test func missingValuesAreNamed() throws {
        let region = try #require(try Self.error("plm-group", DeadlineQuery(plan: "premium", priority: "high", opened: Self.opened)))
        #expect(region.description.hasPrefix("region is required"))
        let priority = try #require(try Self.error("plex", DeadlineQuery(plan: "gold", opened: Self.opened)))
        #expect(priority.description == "priority is required: plan 'gold' sets targets per priority: choose one of p1, p2, p3, p4")
        let confirmed = try #require(try Self.error("plixer", DeadlineQuery(plan: "standard", priority: "severity-1", metric: "resolution", opened: Self.opened)))
        #expect(confirmed.description == "confirmed is required: metric 'resolution' starts when the defect is confirmed")
        let cvss = try #require(try Self.error("plixer", DeadlineQuery(plan: "standard", metric: "patch", opened: Self.opened)))
        #expect(cvss.description.hasPrefix("cvss is required"))
    }

    @Test func invalidValuesAreRefused() throws {
        for score in [-0.1, 10.1, .nan] {
            let error = try #require(try Self.error("plixer", DeadlineQuery(plan: "standard", metric: "patch", opened: Self.opened, cvss: score)))
            #expect(error.description.contains("a CVSS score lies between 0 and 10"))
        }
        let priority = try #require(try Self.error("pro-plus", DeadlineQuery(plan: "pro-plus", priority: "high", opened: Self.opened)))
        #expect(priority.description.contains("policy 'pro-plus' has no priorities"))
        let early = try #require(try Self.error("plixer", DeadlineQuery(
            plan: "standard", priority: "severity-1", metric: "resolution", opened: Self.opened,
            confirmed: ISO8601.parse("2026-03-01T10:00:00+01:00"))))
        #expect(early.description.contains("cannot be confirmed before the case was opened"))
        let inverted = try #require(try Self.error("plex", DeadlineQuery(
            plan: "gold", priority: "p2", opened: Self.opened,
            pauses: [(ISO8601.parse("2026-03-03T10:00:00Z")!, ISO8601.parse("2026-03-02T10:00:00Z")!)])))
        #expect(inverted.description.contains("the pause ends before it starts"))
        let overlapping = try #require(try Self.error("plex", DeadlineQuery(
            plan: "gold", priority: "p2", opened: Self.opened,
            pauses: [(ISO8601.parse("2026-03-02T10:00:00Z")!, ISO8601.parse("2026-03-02T12:00:00Z")!),
                     (ISO8601.parse("2026-03-02T11:00:00Z")!, ISO8601.parse("2026-03-02T13:00:00Z")!)])))
        #expect(overlapping.description.contains("overlap"))
    }

    @Test func wallClockTimesAreReadInTheRegionsZone() throws {
        let policy = try Presets.policy("plm-group")
        let local = try policy.answer(DeadlineQuery(plan: "premium", priority: "critical", region: "finland", opened: ISO8601.parse("2026-03-02T10:00")!))
        #expect(try local.format(local.deadline!.clockStart) == "2026-03-02T10:00:00+02:00")
        #expect(try local.format(local.deadline!.due) == "2026-03-02T12:00:00+02:00")
    }

    @Test func batchAnswersEachLineAndGoesOnAfterBadOnes() {
        var batch = DeadlineBatch(resolve: { try Presets.policy($0) })
        #expect(batch.answer(line: #"{"policy":"plex","plan":"silver","priority":"p4","opened":"2026-11-20T10:00:00-05:00"}"#)
                == #"{"target":"5 business days","clockStart":"2026-11-20T10:00:00-05:00","due":"2026-11-30T10:00:00-05:00"}"#)
        #expect(batch.answer(line: #"{"policy":"plm-group","plan":"standard","priority":"question","region":"norway","opened":"2026-11-20T10:00:00+01:00"}"#)
                == #"{"target":"no target","clockStart":null,"due":null}"#)
        #expect(batch.answer(line: "{nope").hasPrefix(#"{"error":"malformed JSON"#))
        #expect(batch.answer(line: "[1]") == #"{"error":"each line must be one JSON object"}"#)
        #expect(batch.answer(line: #"{"plan":"a","plan":"b"}"#) == #"{"error":"malformed JSON: member 'plan' is given twice in 'plan' at byte 19"}"#)
        #expect(batch.answer(line: #"{"policy":"plex","plan":"silver","priority":"p1","opened":"2026-11-20T10:00:00Z","colour":"red"}"#)
                .hasPrefix(#"{"error":"unknown field 'colour'"#))
        #expect(batch.answer(line: #"{"policy":"plex","plan":"silver","priority":"p1","opened":"yesterday"}"#)
                .hasPrefix(#"{"error":"invalid opened 'yesterday': expected an ISO 8601 time"#))
        #expect(batch.answer(line: #"{"policy":"plixer","plan":"standard","metric":"patch","cvss":true,"opened":"2026-11-20T10:00:00Z"}"#)
                == #"{"error":"field 'cvss' must be a number between 0 and 10"}"#)
        #expect(batch.answer(line: #"{"policy":"plixer","plan":"standard","metric":"patch","cvss":12,"opened":"2026-11-20T10:00:00Z"}"#)
                == #"{"error":"invalid cvss '12.0': a CVSS score lies between 0 and 10"}"#)
        #expect(batch.answer(line: #"{"policy":"acme","plan":"x","opened":"2026-11-20T10:00:00Z"}"#)
                .hasPrefix(#"{"error":"unknown policy 'acme'; presets: plex, plixer, plm-group, pro-plus"#))
        #expect(batch.answer(line: #"{"policy":"plex","plan":"gold","priority":"p2","opened":"2026-11-16T09:00:00-05:00","pauses":[["2026-11-16T12:00:00-05:00","2026-11-17T12:00:00-05:00"]]}"#)
                == #"{"target":"12 business hours","clockStart":"2026-11-16T09:00:00-05:00","due":"2026-11-17T21:00:00-05:00"}"#)
    }

    @Test func jsonTextEscapesQuotesBackslashesAndControlCharacters() {
        #expect(JSONText.string("plain") == "\"plain\"")
        #expect(JSONText.string("a\"b\\c\n\u{01}") == #""a\"b\\c\n\u0001""#)
    }

    @Test func mangledLinesNeverCrashTheBatch() async {
        let valid = #"{"policy":"plm-group","plan":"premium","priority":"high","region":"denmark","opened":"2026-03-06T14:30:00+01:00","pauses":[["2026-03-06T15:00:00+01:00","2026-03-09T09:00:00+01:00"]]}"#
        let bytes = Array(valid.utf8)
        await propertyCheck(count: 500, input: Gen.int(in: 0...(bytes.count - 1)), Gen.int(in: 0...255), Gen.int(in: 0...2)) { position, byte, mode in
            var mangled = bytes
            switch mode {
            case 0: mangled[position] = UInt8(byte)
            case 1: mangled.removeSubrange(position...)
            default: mangled.insert(UInt8(byte), at: position)
            }
            var batch = DeadlineBatch(resolve: { try Presets.policy($0) })
            let answer = batch.answer(line: String(decoding: mangled, as: UTF8.self))
            #expect(answer.hasPrefix("{\"target\":") || answer.hasPrefix("{\"error\":"), "\(answer)")
        }
    }
}
