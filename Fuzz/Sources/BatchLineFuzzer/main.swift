import AccordCore
import FuzzDriver

/// The presets, loaded once for every input.
let presets: [String: Policy] = Dictionary(uniqueKeysWithValues: Presets.names.compactMap { name in (try? Presets.policy(name)).map { (name, $0) } })

/// One input: the bytes as one batch line, answered as `accord sla due --batch` answers it.
func fuzz(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    var batch = DeadlineBatch { name in
        guard let policy = presets[name] else { throw BatchFuzzError() }
        return policy
    }
    _ = batch.answer(utf8: UnsafeBufferPointer(start: data, count: count))
    return 0
}

struct BatchFuzzError: Error {}

exit(FuzzDriver.run { data, count in fuzz(data, count) })
