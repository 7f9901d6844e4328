#if canImport(Glibc)
@_exported import Glibc
#endif

/// libFuzzer's driver, linked in by `-sanitize=fuzzer`: it runs `LLVMFuzzerRunDriver`'s loop over
/// the command line's corpus and options, calling the input function for each input.
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

public enum FuzzDriver {
    /// Runs libFuzzer with this process's arguments; returns its exit status.
    public static func run(_ input: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        return LLVMFuzzerRunDriver(&argc, &argv, input)
    }
}
