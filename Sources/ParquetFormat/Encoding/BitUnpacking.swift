/// LSB-first bit unpacking, the packing used by the RLE/bit-packed hybrid, PLAIN booleans and
/// DELTA_BINARY_PACKED miniblocks: value i occupies bits [i*w, (i+1)*w) counting from the least
/// significant bit of byte 0.
enum BitUnpacking {
    /// Number of bytes that hold `count` values of `bitWidth` bits.
    static func byteCount(values count: Int, bitWidth: Int) -> Int {
        // count and bitWidth are already bounded by the callers (count <= Int32.max, width <= 64).
        (count * bitWidth + 7) / 8
    }

    /// Unpacks `count` values of `bitWidth` (0...64) bits from `source` into `destination`,
    /// truncating each to `Output`. The caller guarantees `source` holds
    /// `byteCount(values: count, bitWidth: bitWidth)` bytes.
    static func unpack<Output: FixedWidthInteger>(
        _ source: UnsafeRawBufferPointer,
        bitWidth: Int,
        count: Int,
        into destination: UnsafeMutableBufferPointer<Output>
    ) {
        precondition(
            bitWidth >= 0 && bitWidth <= 64 && destination.count >= count
                && source.count >= byteCount(values: count, bitWidth: bitWidth), "caller checks sizes")
        guard count > 0 else { return }
        if bitWidth == 0 {
            destination.baseAddress!.update(repeating: 0, count: count)
            return
        }
        let mask: UInt64 = bitWidth == 64 ? ~0 : (1 << UInt64(bitWidth)) &- 1
        let base = source.baseAddress!
        let sourceCount = source.count
        var bitPosition = 0
        for index in 0..<count {
            let byteIndex = bitPosition >> 3
            let shift = bitPosition & 7
            var word: UInt64
            if byteIndex + 8 <= sourceCount {
                word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: byteIndex, as: UInt64.self))
            } else {
                word = 0
                for offset in 0..<(sourceCount - byteIndex) {
                    word |= UInt64(base.load(fromByteOffset: byteIndex + offset, as: UInt8.self)) << UInt64(offset * 8)
                }
            }
            var value = word >> UInt64(shift)
            if shift + bitWidth > 64 {
                // The value's top bits spill into a ninth byte.
                value |= UInt64(base.load(fromByteOffset: byteIndex + 8, as: UInt8.self)) << UInt64(64 - shift)
            }
            destination[index] = Output(truncatingIfNeeded: value & mask)
            bitPosition += bitWidth
        }
    }
}
