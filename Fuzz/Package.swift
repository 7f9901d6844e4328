// swift-tools-version: 6.1
import PackageDescription

// libFuzzer targets for Accord's parsers of outside input, in a package of their own so that the
// root package never builds them: each hands its input function to libFuzzer's driver, which only
// a build with the fuzzer runtime has. Build and run from this folder (see README.md):
//   swift build -c release -Xswiftc -sanitize=fuzzer,address
//   .build/release/PolicyLoaderFuzzer Corpus/PolicyLoader -max_total_time=60

let package = Package(
    name: "AccordFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Accord", path: ".."),
    ],
    targets: [
        // libFuzzer's entry point, as Swift sees it.
        .target(name: "FuzzDriver"),
        // The policy loader: YAML text of any shape (aliases, huge numbers, deep nesting).
        .executableTarget(
            name: "PolicyLoaderFuzzer",
            dependencies: [.product(name: "AccordCore", package: "Accord"), "FuzzDriver"]
        ),
        // The iCalendar holiday import: .ics text referenced by a policy.
        .executableTarget(
            name: "ICalendarFuzzer",
            dependencies: [.product(name: "BusinessTime", package: "Accord"), "FuzzDriver"]
        ),
        // A multipart body (an upload, a mail), cut into pieces of every size.
        .executableTarget(
            name: "MultipartReaderFuzzer",
            dependencies: [.product(name: "AccordMail", package: "Accord"), "FuzzDriver"]
        ),
        // A whole mail message: MIME tree, headers, text, sanitised HTML, files, reply text.
        .executableTarget(
            name: "MailMessageFuzzer",
            dependencies: [.product(name: "AccordMail", package: "Accord"), "FuzzDriver"]
        ),
        // Outlook's winmail.dat (TNEF): attributes, MAPI properties, compressed RTF and its text.
        .executableTarget(
            name: "TNEFFuzzer",
            dependencies: [.product(name: "AccordMail", package: "Accord"), "FuzzDriver"]
        ),
        // One line of `accord sla due --batch`: JSON, then the deadline question it asks.
        .executableTarget(
            name: "BatchLineFuzzer",
            dependencies: [.product(name: "AccordCore", package: "Accord"), "FuzzDriver"]
        ),
    ]
)
