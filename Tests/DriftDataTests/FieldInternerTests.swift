import DriftStats
import Testing

@testable import DriftData

/// The interner must give one code per distinct byte string, whichever table (short or long) and whichever way of
/// loading a short field (one word, or byte by byte at the end of readable memory) it goes through.
struct FieldInternerTests {
    @Test
    func givesOneCodePerDistinctField() {
        // Short and long fields, a NUL byte, the empty field, prefixes of one another, and enough of them to grow both tables.
        var fields: [[UInt8]] = [[], [0], [0, 0], Array("a".utf8), Array("ab".utf8), Array("abcdefgh".utf8), Array("abcdefghi".utf8)]
        fields += (0..<300).map { Array("v\($0)".utf8) }
        fields += (0..<300).map { Array("a longer level \($0)".utf8) }
        var interner = FieldInterner()
        var madeCodes: [Int32] = []
        func code(_ field: [UInt8], paddedBy padding: Int) -> Int32 {
            // The field sits at the start of a buffer `padding` bytes longer, which is all that may be read.
            let buffer = field + [UInt8](repeating: 0xFF, count: padding)
            return buffer.withUnsafeBufferPointer { buffer in
                let view = UnsafeBufferPointer(rebasing: buffer[0..<field.count])
                return interner.code(for: view, readableUpTo: buffer.baseAddress.map { $0 + buffer.count }) { _ in
                    madeCodes.append(Int32(madeCodes.count))
                    return madeCodes.last!
                }
            }
        }
        let first = fields.map { code($0, paddedBy: 8) }
        #expect(Set(first).count == fields.count)
        #expect(madeCodes.count == fields.count)
        for padding in [0, 3, 16] {
            #expect(fields.map { code($0, paddedBy: padding) } == first)
        }
        #expect(madeCodes.count == fields.count)
    }
}
