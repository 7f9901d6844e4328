import AccordCore
import FuzzDriver

/// One input: the bytes as a policy file. Every outcome but a crash or a hang is fine: the loader
/// answers with the policy or with its issues.
func fuzz(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: count), as: UTF8.self)
    _ = try? PolicyLoader().load(yaml: text, file: "fuzz.yaml")
    return 0
}

exit(FuzzDriver.run { data, count in fuzz(data, count) })
