import BusinessTime
import FuzzDriver

/// One input: the bytes as an .ics file imported as a holiday set, and the set asked for the holidays of a few years.
func fuzz(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: count), as: UTF8.self)
    if let set = try? ICalendarImport.holidaySet(id: "fuzz", name: "Fuzz", ics: text) {
        for year in [1, 2026, 9999] { _ = set.holidays(in: year) }
    }
    return 0
}

exit(FuzzDriver.run { data, count in fuzz(data, count) })
